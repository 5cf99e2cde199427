// The Netlify legacy factory file: build your own handlers into a legacy (v1, Lambda-compatible) Netlify function,
// whose events are Lambda's (base64 for most content types). Built to
// dist/factories/netlify/commercelayer-webhook-legacy-factory.mjs, with types.
import { type LambdaHandler, serveLambda } from "../../../shared/node/lambda-adapter.ts";
import { NODE_RUNTIME } from "../../../shared/node/runtime.ts";
import { createWebhookReceiver, type WebhookOptions, webhookEndpoint } from "../../../shared/webhooks/receiver.ts";
import type { WebhookHandlers } from "../../../shared/webhooks/router.ts";

export type { LambdaHandler, LambdaHttpEvent, LambdaHttpResult } from "../../../shared/node/lambda-adapter.ts";
export { signPayload, verifySignature } from "../../../shared/node/signature.ts";
export type * from "../../../shared/webhooks/exported-types.ts";
export { withIncludes } from "../../../shared/webhooks/includes.ts";
export { defineWebhookHandlers } from "../../../shared/webhooks/router.ts";

export function createNetlifyLegacyWebhookHandler(
  handlers: WebhookHandlers,
  options: WebhookOptions = {},
): LambdaHandler {
  return serveLambda(
    webhookEndpoint(createWebhookReceiver(NODE_RUNTIME, handlers, { platform: "netlify-legacy", ...options })),
  );
}
