// Netlify background function, at /.netlify/functions/commercelayer-webhook-worker-background (the `-background`
// suffix makes it one): runs the `deferred(...)` handlers of functions/handlers.ts, after verifying the handed-off
// delivery's signature again. Netlify answers the caller 202 at once, runs it up to 15 minutes, and retries it twice
// when it throws. Built to dist/netlify/commercelayer-webhook-worker-background.mjs.
import { createNetlifyWebhookWorker } from "../../shared/node/netlify/background-worker.ts";
import { workerSide } from "../../shared/webhooks/handlers-file.ts";
import * as handlersFile from "../handlers.ts";

const { handlers, options } = workerSide(handlersFile);

export default createNetlifyWebhookWorker(handlers, options);
