// The Vercel queue file: deferred handlers run after the response in `waitUntil` (best effort, not durable: see
// shared/node/vercel/wait-until-hand-off.ts), or from a durable queue of yours through createVercelWebhookWorker. Built to
// dist/factories/vercel/commercelayer-webhook-queue.mjs, with types; imports @vercel/functions
// (npm install @vercel/functions). Use it beside commercelayer-webhook-factory.mjs:
//
//   export const POST = createVercelWebhookHandler(withHandOff(handlers, createWaitUntilHandOff(handlers)));
export { type QueuedDelivery, toQueuedDelivery } from "../../../shared/node/queued-delivery.ts";
export { createVercelWebhookWorker, type VercelWebhookWorker } from "../../../shared/node/vercel/queue-worker.ts";
export {
  createWaitUntilHandOff,
  type WaitUntilHandOffOptions,
} from "../../../shared/node/vercel/wait-until-hand-off.ts";
export { deferred, type HandOff, withHandOff } from "../../../shared/webhooks/deferred.ts";
export type * from "../../../shared/webhooks/exported-types.ts";
export type { WorkerOptions } from "../../../shared/webhooks/worker.ts";
