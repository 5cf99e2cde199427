// AWS Lambda entry point, receiving side: verifies each delivery, runs the handlers of functions/handlers.ts, hands
// the `deferred(...)` ones to SQS (COMMERCELAYER_WEBHOOK_QUEUE_URL) and answers 200. Deployed by serverless.yml from
// dist/aws-lambda/commercelayer-webhook.mjs, beside the worker (commercelayer-webhook-worker.ts).
import * as handlersFile from "../../../functions/handlers.ts";
import { receivingSide } from "../../template.ts";
import { createSqsHandOff } from "./hand-off.ts";
import { createLambdaWebhookHandler } from "./receiving.ts";

const { handlers, options } = receivingSide(handlersFile, "aws-lambda", createSqsHandOff);

export const handler = createLambdaWebhookHandler(handlers, options);
