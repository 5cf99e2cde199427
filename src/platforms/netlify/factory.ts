// The Netlify factory file: build your own handlers into a Netlify function (v2). Bundled to
// dist/factories/netlify/commercelayer-webhook-factory.mjs, with types. Deferred handlers:
// commercelayer-webhook-queue.mjs (queue.ts) beside it; legacy (v1) functions: legacy-factory.ts.
export type * from "../../core/public-types.ts";
export { defineWebhookHandlers } from "../../core/router.ts";
export { signPayload, verifySignature } from "../../core/signature.ts";
export { createNetlifyWebhookHandler, type NetlifyHandler, type NetlifyWebhookOptions } from "./receiving.ts";
