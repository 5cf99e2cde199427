// The AWS Lambda factory file: build your own handlers into a Lambda `handler` for API Gateway (REST, HTTP API),
// Function URLs and ALB. Built to dist/factories/aws-lambda/commercelayer-webhook-factory.mjs, with types. Deferred
// handlers: commercelayer-webhook-queue.mjs beside it.
import { type LambdaHandler, serveLambda } from "../../../shared/node/lambda-adapter.ts";
import { NODE_RUNTIME } from "../../../shared/node/runtime.ts";
import { createWebhookReceiver, type WebhookOptions, webhookEndpoint } from "../../../shared/webhooks/receiver.ts";
import type { WebhookHandlers } from "../../../shared/webhooks/router.ts";

export type { LambdaHandler, LambdaHttpEvent, LambdaHttpResult } from "../../../shared/node/lambda-adapter.ts";
export { signPayload, verifySignature } from "../../../shared/node/signature.ts";
export type * from "../../../shared/webhooks/exported-types.ts";
export { withIncludes } from "../../../shared/webhooks/includes.ts";
export { defineWebhookHandlers } from "../../../shared/webhooks/router.ts";

export function createLambdaWebhookHandler(handlers: WebhookHandlers, options: WebhookOptions = {}): LambdaHandler {
  return serveLambda(
    webhookEndpoint(createWebhookReceiver(NODE_RUNTIME, handlers, { platform: "aws-lambda", ...options })),
  );
}
