// The Netlify queue file: deferred handlers, handed off to a background function by the receiving function. Bundled
// to dist/factories/netlify/commercelayer-webhook-queue.mjs, with types; use it beside commercelayer-webhook-factory.mjs:
//
//   // receiving function (netlify/functions/commercelayer-webhook.mts)
//   export default createNetlifyWebhookHandler(withHandOff(handlers, createBackgroundHandOff()));
//   // worker (netlify/functions/commercelayer-webhook-worker-background.mts)
//   export default createNetlifyWebhookWorker(handlers);

export {
  type BackgroundHandOffOptions,
  createBackgroundHandOff,
  WORKER_FUNCTION,
} from "../../../shared/node/netlify/background-hand-off.ts";
export {
  createNetlifyWebhookWorker,
  type NetlifyWebhookWorker,
} from "../../../shared/node/netlify/background-worker.ts";
export { deferred, type HandOff, withHandOff } from "../../../shared/webhooks/deferred.ts";
export type * from "../../../shared/webhooks/exported-types.ts";
export type { WorkerOptions } from "../../../shared/webhooks/worker.ts";
