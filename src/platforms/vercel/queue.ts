// The Vercel queue file: deferred handlers run after the response in `waitUntil` (best effort, not durable: see
// hand-off.ts), or from a durable queue of yours through createVercelWebhookWorker. Bundled to
// dist/factories/vercel/commercelayer-webhook-queue.mjs, with types; imports @vercel/functions
// (npm install @vercel/functions). Use it beside commercelayer-webhook-factory.mjs:
//
//   export const POST = createVercelWebhookHandler(withHandOff(handlers, createWaitUntilHandOff(handlers)));
export { deferred, type HandOff, type QueuedDelivery, toQueuedDelivery, withHandOff } from "../../core/deferred.ts";
export type * from "../../core/public-types.ts";
export type { WorkerOptions } from "../../core/worker.ts";
export { createWaitUntilHandOff, type WaitUntilHandOffOptions } from "./hand-off.ts";
export { createVercelWebhookWorker, type VercelWebhookWorker } from "./worker.ts";
