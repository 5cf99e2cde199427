// The Netlify legacy factory file: build your own handlers into a legacy (v1, Lambda-compatible) Netlify function.
// Bundled to dist/factories/netlify/commercelayer-webhook-legacy-factory.mjs, with types.
export type * from "../../core/public-types.ts";
export { defineWebhookHandlers } from "../../core/router.ts";
export { signPayload, verifySignature } from "../../core/signature.ts";
export type { LambdaHandler, LambdaHttpEvent, LambdaHttpResult } from "../../shapes/lambda.ts";
export { createNetlifyLegacyWebhookHandler, type NetlifyWebhookOptions } from "./receiving.ts";
