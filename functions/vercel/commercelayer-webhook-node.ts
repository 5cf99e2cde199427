// `(req, res)` flavour: a Next.js pages-router API route (pages/api/webhooks/commercelayer), a Vercel function in the
// Node signature, or any Node HTTP server. Byte-exact with Vercel's helpers on or off. Serves the handlers of
// functions/handlers.ts, the `deferred(...)` ones after the response in `waitUntil`, as the Web flavour does.
// Built to dist/vercel/commercelayer-webhook-node.mjs.
import { serveNode } from "../../shared/node/adapter.ts";
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import { createWaitUntilHandOff } from "../../shared/node/vercel/wait-until-hand-off.ts";
import { receivingSide, workerSide } from "../../shared/webhooks/handlers-file.ts";
import * as handlersFile from "../handlers.ts";

const worker = workerSide(handlersFile);

export default serveNode(
  receivingSide(
    NODE_RUNTIME,
    handlersFile,
    "vercel",
    () => createWaitUntilHandOff(worker.handlers, worker.options),
    "vercel-node",
  ),
);

/** Next.js pages router: keep the body unparsed so the signature can be checked (ignored everywhere else). */
export const config = { api: { bodyParser: false } };
