// AWS Lambda entry point, receiving side: verifies each delivery, runs the handlers of functions/handlers.ts, hands
// the `deferred(...)` ones to SQS (COMMERCELAYER_WEBHOOK_QUEUE_URL) and answers 200. Deployed by serverless.yml from
// dist/aws-lambda/commercelayer-webhook.mjs, beside the worker (commercelayer-webhook-worker.ts). One handler for API
// Gateway REST (v1), HTTP API (payload 1.0 and 2.0), Function URLs and ALB.
import { createSqsHandOff } from "../../shared/node/aws-lambda/sqs-hand-off.ts";
import { serveLambda } from "../../shared/node/lambda-adapter.ts";
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import { receivingSide } from "../../shared/webhooks/handlers-file.ts";
import * as handlersFile from "../handlers.ts";

export const handler = serveLambda(receivingSide(NODE_RUNTIME, handlersFile, "aws-lambda", createSqsHandOff));
