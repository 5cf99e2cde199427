// The Vercel hand-off factory file: mark slow handlers `deferred(...)`, run them after the response in `waitUntil`
// (best effort, not durable: see wait-until-hand-off.ts). Bundled to dist/factories/vercel/commercelayer-webhook-queue.mjs,
// with types; imports @vercel/functions (npm install @vercel/functions).

export { deferred, deferredOnly, type HandOff, withHandOff } from "../../shared/deferred.ts";
export type * from "../../shared/public-types.ts";
export { defineWebhookHandlers } from "../../shared/router.ts";
export { createVercelWebhookHandler, type VercelWebhookOptions } from "./create-handler.ts";
export {
  createVercelWaitUntilHandler,
  createWaitUntilHandOff,
  type WaitUntilHandOffOptions,
} from "./wait-until-hand-off.ts";
