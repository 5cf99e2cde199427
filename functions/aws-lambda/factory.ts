// The AWS Lambda factory file: build your own handlers into a Lambda `handler` for API Gateway (REST, HTTP API),
// Function URLs and ALB. Bundled to dist/factories/aws-lambda/commercelayer-webhook-factory.mjs, with types.
export type * from "../../shared/public-types.ts";
export { defineWebhookHandlers } from "../../shared/router.ts";
export { signPayload, verifySignature } from "../../shared/signature.ts";
export { createLambdaWebhookHandler, type LambdaWebhookHandler, type LambdaWebhookOptions } from "./create-handler.ts";
export type { LambdaHttpEvent } from "./events.ts";
export type { LambdaHttpResult } from "./results.ts";
