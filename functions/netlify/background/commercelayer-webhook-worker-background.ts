// Netlify background function, at /.netlify/functions/commercelayer-webhook-worker-background (the `-background`
// suffix makes it one): runs the handlers of functions/handlers.ts marked `deferred(...)`, after verifying the
// handed-off delivery's signature again. Netlify answers the caller 202 at once, runs it up to 15 minutes, and retries
// it twice when it throws.
import { handlers } from "../../handlers.ts";
import { createNetlifyBackgroundWorker } from "../background-hand-off.ts";

export default createNetlifyBackgroundWorker(handlers);
