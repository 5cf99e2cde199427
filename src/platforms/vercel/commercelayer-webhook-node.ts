// `(req, res)` flavour: a Next.js pages-router API route (pages/api/webhooks/commercelayer), a Vercel function in the
// Node signature, or any Node HTTP server. Byte-exact with Vercel's helpers on or off. Serves the handlers of
// functions/handlers.ts, the `deferred(...)` ones after the response in `waitUntil`, as the Web flavour does.
import * as handlersFile from "../../../functions/handlers.ts";
import { createWebhookReceiver } from "../../core/node-receiver.ts";
import { serveNode } from "../../shapes/node.ts";
import { receivingSide, workerSide } from "../../template.ts";
import { createWaitUntilHandOff } from "./hand-off.ts";

const worker = workerSide(handlersFile);
const { handlers, options } = receivingSide(handlersFile, "vercel", () =>
  createWaitUntilHandOff(worker.handlers, worker.options),
);

export default serveNode(createWebhookReceiver(handlers, { platform: "vercel-node", ...options }));

/** Next.js pages router: keep the body unparsed so the signature can be checked (ignored everywhere else). */
export const config = { api: { bodyParser: false } };
