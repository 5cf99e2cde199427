// AWS Lambda entry point, worker side: an SQS event source (ReportBatchItemFailures) runs the `deferred(...)` handlers
// of functions/handlers.ts. Deployed by serverless.yml from dist/aws-lambda/commercelayer-webhook-worker.mjs.
import { createLambdaWebhookWorker } from "../../shared/node/aws-lambda/sqs-worker.ts";
import { workerSide } from "../../shared/webhooks/handlers-file.ts";
import * as handlersFile from "../handlers.ts";

const { handlers, options } = workerSide(handlersFile);

export const handler = createLambdaWebhookWorker(handlers, options);
