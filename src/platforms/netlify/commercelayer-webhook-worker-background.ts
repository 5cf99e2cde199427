// Netlify background function, at /.netlify/functions/commercelayer-webhook-worker-background (the `-background`
// suffix makes it one): runs the `deferred(...)` handlers of functions/handlers.ts, after verifying the handed-off
// delivery's signature again. Netlify answers the caller 202 at once, runs it up to 15 minutes, and retries it twice
// when it throws.
import * as handlersFile from "../../../functions/handlers.ts";
import { workerSide } from "../../template.ts";
import { createNetlifyWebhookWorker } from "./worker.ts";

const { handlers, options } = workerSide(handlersFile);

export default createNetlifyWebhookWorker(handlers, options);
