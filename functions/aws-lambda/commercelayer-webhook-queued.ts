// AWS Lambda entry point, receiving side of the queued pair: verifies each delivery, runs the direct handlers of
// queued-handlers.ts, hands the deferred ones' deliveries to SQS and answers 200. Deployed by serverless.yml from
// dist/aws-lambda/commercelayer-webhook-queued.mjs; the worker is commercelayer-webhook-worker.ts.
import { withHandOff } from "../../shared/deferred.ts";
import { createLambdaWebhookHandler } from "./create-handler.ts";
import { handlers } from "./queued-handlers.ts";
import { createSqsHandOff } from "./sqs-hand-off.ts";

const QUEUE_URL_ENV = "COMMERCELAYER_WEBHOOK_QUEUE_URL";

// Read at every hand-off: unset, a delivery with a deferred handler fails with a clear 500, not the import.
export const handler = createLambdaWebhookHandler(
  withHandOff(handlers, createSqsHandOff({ queueUrl: () => process.env[QUEUE_URL_ENV] })),
);
