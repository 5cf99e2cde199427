// The AWS Lambda factory file: build your own handlers into a Lambda `handler` for API Gateway (REST, HTTP API),
// Function URLs and ALB. Bundled to dist/factories/aws-lambda/commercelayer-webhook-factory.mjs, with types. Deferred
// handlers: commercelayer-webhook-queue.mjs (queue.ts) beside it.
export type * from "../../core/public-types.ts";
export { defineWebhookHandlers } from "../../core/router.ts";
export { signPayload, verifySignature } from "../../core/signature.ts";
export type { LambdaHandler, LambdaHttpEvent, LambdaHttpResult } from "../../shapes/lambda.ts";
export { createLambdaWebhookHandler, type LambdaWebhookOptions } from "./receiving.ts";
