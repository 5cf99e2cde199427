// Vercel function (api/) and Next.js App Router route file (app/api/webhooks/commercelayer/route): exports POST only,
// as a route file must. Serves the handlers of functions/handlers.ts; the `deferred(...)` ones run after the response
// in `waitUntil` (best effort: see hand-off.ts), unless the file's options name another hand-off for Vercel.
import * as handlersFile from "../../../functions/handlers.ts";
import { receivingSide, workerSide } from "../../template.ts";
import { createWaitUntilHandOff } from "./hand-off.ts";
import { createVercelWebhookHandler } from "./receiving.ts";

const worker = workerSide(handlersFile);
const { handlers, options } = receivingSide(handlersFile, "vercel", () =>
  createWaitUntilHandOff(worker.handlers, worker.options),
);

export const POST = createVercelWebhookHandler(handlers, options);
