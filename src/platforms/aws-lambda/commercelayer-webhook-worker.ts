// AWS Lambda entry point, worker side: an SQS event source (ReportBatchItemFailures) runs the `deferred(...)` handlers
// of functions/handlers.ts. Deployed by serverless.yml from dist/aws-lambda/commercelayer-webhook-worker.mjs.
import * as handlersFile from "../../../functions/handlers.ts";
import { workerSide } from "../../template.ts";
import { createLambdaWebhookWorker } from "./worker.ts";

const { handlers, options } = workerSide(handlersFile);

export const handler = createLambdaWebhookWorker(handlers, options);
