// The AWS Lambda queue file: deferred handlers, handed off to SQS by the receiving function and run by a worker Lambda
// with an SQS event source. Bundled to dist/factories/aws-lambda/commercelayer-webhook-queue.mjs, with types; use it
// beside commercelayer-webhook-factory.mjs:
//
//   // receiving function
//   export const handler = createLambdaWebhookHandler(withHandOff(handlers, createSqsHandOff()));
//   // worker function (SQS event source, functionResponseType: ReportBatchItemFailures)
//   export const handler = createLambdaWebhookWorker(handlers);
export { deferred, type HandOff, withHandOff } from "../../core/deferred.ts";
export type * from "../../core/public-types.ts";
export type { WorkerOptions } from "../../core/worker.ts";
export { createSqsHandOff, QUEUE_URL_ENV, SQS_MAX_MESSAGE_BYTES, type SqsHandOffOptions } from "./hand-off.ts";
export { createLambdaWebhookWorker, type LambdaWebhookWorker } from "./worker.ts";
