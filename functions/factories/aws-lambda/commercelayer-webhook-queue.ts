// The AWS Lambda queue file: deferred handlers, handed off to SQS by the receiving function and run by a worker Lambda
// with an SQS event source. Built to dist/factories/aws-lambda/commercelayer-webhook-queue.mjs, with types; use it
// beside commercelayer-webhook-factory.mjs:
//
//   // receiving function
//   export const handler = createLambdaWebhookHandler(withHandOff(handlers, createSqsHandOff()));
//   // worker function (SQS event source, functionResponseType: ReportBatchItemFailures)
//   export const handler = createLambdaWebhookWorker(handlers);

export {
  createSqsHandOff,
  QUEUE_URL_ENV,
  SQS_MAX_MESSAGE_BYTES,
  type SqsHandOffOptions,
} from "../../../shared/node/aws-lambda/sqs-hand-off.ts";
export { createLambdaWebhookWorker, type LambdaWebhookWorker } from "../../../shared/node/aws-lambda/sqs-worker.ts";
export { deferred, type HandOff, withHandOff } from "../../../shared/webhooks/deferred.ts";
export type * from "../../../shared/webhooks/exported-types.ts";
export type { WorkerOptions } from "../../../shared/webhooks/worker.ts";
