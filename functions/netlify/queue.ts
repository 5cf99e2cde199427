// The Netlify hand-off factory file: mark slow handlers `deferred(...)`, serve them from a background function.
// Bundled to dist/factories/netlify/commercelayer-webhook-queue.mjs, with types.

export { deferred, type HandOff, withHandOff } from "../../shared/deferred.ts";
export type * from "../../shared/public-types.ts";
export { defineWebhookHandlers } from "../../shared/router.ts";
export {
  type BackgroundHandOffOptions,
  createBackgroundHandOff,
  createNetlifyBackgroundWorker,
  createNetlifyDeferringHandler,
  type NetlifyDeferringOptions,
  WORKER_FUNCTION,
} from "./background-hand-off.ts";
export { createNetlifyWebhookHandler, type NetlifyWebhookOptions } from "./create-handler.ts";
