// Vercel function (api/) and Next.js App Router route file (app/api/webhooks/commercelayer/route): exports POST only,
// as a route file must. Serves the handlers of functions/handlers.ts; the `deferred(...)` ones run after the response
// in `waitUntil` (best effort: see shared/node/vercel/wait-until-hand-off.ts), unless the file's options name another
// hand-off for Vercel. Built to dist/vercel/commercelayer-webhook.mjs.
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import { createWaitUntilHandOff } from "../../shared/node/vercel/wait-until-hand-off.ts";
import { serveWeb } from "../../shared/web/adapter.ts";
import { receivingSide, workerSide } from "../../shared/webhooks/handlers-file.ts";
import * as handlersFile from "../handlers.ts";

const worker = workerSide(handlersFile);

export const POST = serveWeb(
  receivingSide(NODE_RUNTIME, handlersFile, "vercel", () => createWaitUntilHandOff(worker.handlers, worker.options)),
);
