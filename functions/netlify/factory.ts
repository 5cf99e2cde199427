// The Netlify factory file: build your own handlers into a Netlify function (v2, or legacy v1).
// Bundled to dist/factories/netlify/commercelayer-webhook-factory.mjs, with types.
export type * from "../../shared/public-types.ts";
export { defineWebhookHandlers } from "../../shared/router.ts";
export { signPayload, verifySignature } from "../../shared/signature.ts";
export type { LambdaHttpEvent, LambdaHttpResult, LambdaWebhookHandler } from "../aws-lambda/factory.ts";
export {
  createNetlifyLegacyWebhookHandler,
  createNetlifyWebhookHandler,
  type NetlifyWebhookOptions,
} from "./create-handler.ts";
