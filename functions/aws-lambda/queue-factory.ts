// The AWS Lambda queue file: deferred handlers, handed off to SQS by the receiving function and run by a worker
// Lambda with an SQS event source. Bundled to dist/factories/aws-lambda/commercelayer-webhook-queue.mjs, with types;
// use it beside commercelayer-webhook-factory.mjs:
//
//   // receiving function
//   export const handler = createLambdaWebhookHandler(
//     withHandOff(handlers, createSqsHandOff({ queueUrl: () => process.env.QUEUE_URL })),
//   );
//   // worker function (SQS event source, functionResponseType: ReportBatchItemFailures)
//   export const handler = createLambdaQueueWorker(handlers);

export { deferred, type HandOff, withHandOff } from "../../shared/deferred.ts";
export type * from "../../shared/public-types.ts";
export {
  createLambdaQueueWorker,
  type LambdaQueueWorker,
  type LambdaQueueWorkerOptions,
} from "./queue-worker.ts";
export { createSqsHandOff, SQS_MAX_MESSAGE_BYTES, type SqsHandOffOptions } from "./sqs-hand-off.ts";
