// AWS Lambda, receiving side: one handler for API Gateway REST (v1), HTTP API (payload 1.0 and 2.0), Function URLs and
// ALB. Deferred handlers go to the `handOff` (createSqsHandOff, in hand-off.ts); the worker is worker.ts.
import { createWebhookReceiver, type ReceiverOptions } from "../../core/node-receiver.ts";
import type { WebhookHandlers } from "../../core/router.ts";
import { type LambdaHandler, serveLambda } from "../../shapes/lambda.ts";

export type LambdaWebhookOptions = Omit<ReceiverOptions, "platform">;

export function createLambdaWebhookHandler(
  handlers: WebhookHandlers,
  options: LambdaWebhookOptions = {},
): LambdaHandler {
  return serveLambda(createWebhookReceiver(handlers, { platform: "aws-lambda", ...options }));
}
