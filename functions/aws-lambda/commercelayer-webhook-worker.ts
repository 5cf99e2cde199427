// AWS Lambda entry point, worker side of the queued pair: an SQS event source (ReportBatchItemFailures) runs the
// deferred handlers of queued-handlers.ts. Deployed by serverless.yml from dist/aws-lambda/commercelayer-webhook-worker.mjs.
import { createLambdaQueueWorker } from "./queue-worker.ts";
import { handlers } from "./queued-handlers.ts";

export const handler = createLambdaQueueWorker(handlers);
