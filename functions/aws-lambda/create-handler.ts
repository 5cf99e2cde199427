// AWS Lambda: API Gateway REST (v1), HTTP API (payload 1.0 and 2.0), Function URLs and ALB, one handler for all.
import type { Context } from "aws-lambda";
import { logDeliveryAsJson } from "../../shared/delivery-log.ts";
import { createWebhookReceiver, JSON_HEADERS, type ReceiverOptions } from "../../shared/receiver.ts";
import type { WebhookHandlers } from "../../shared/router.ts";
import { type LambdaHttpEvent, recogniseHttpEvent, toWebhookRequest } from "./events.ts";
import { type LambdaHttpResult, toLambdaResult } from "./results.ts";

export type LambdaWebhookOptions = Omit<ReceiverOptions, "platform">;

export type LambdaWebhookHandler = (event: LambdaHttpEvent, context?: Context) => Promise<LambdaHttpResult>;

export function createLambdaWebhookHandler(
  handlers: WebhookHandlers,
  options: LambdaWebhookOptions = {},
  platform = "aws-lambda",
): LambdaWebhookHandler {
  const receive = createWebhookReceiver(handlers, { ...options, platform });
  const log = options.log ?? logDeliveryAsJson;
  return async (event) => {
    const shape = recogniseHttpEvent(event);
    if (shape === undefined) {
      // Wired to a non-HTTP trigger by mistake: say so once, answer like HTTP would, never throw.
      log({
        platform,
        outcome: "rejected",
        status: 400,
        ms: 0,
        reason: "not_an_http_event",
        hint: "connect this function to API Gateway, a Function URL or an ALB",
      });
      return {
        statusCode: 400,
        headers: { ...JSON_HEADERS },
        body: '{"error":"not_an_http_event"}',
      };
    }
    return toLambdaResult(await receive(toWebhookRequest(event, shape)), shape, event);
  };
}
