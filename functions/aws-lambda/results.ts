// The core's answer in the result shape each event source expects.

// Node's own reason phrases: node:http is already loaded in the Lambda runtime (its Runtime API client uses it).
import { STATUS_CODES } from "node:http";
import type { ALBResult, APIGatewayProxyResult, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { WebhookResponse } from "../../shared/receiver.ts";
import type { LambdaHttpEvent, LambdaHttpShape } from "./events.ts";

export type LambdaHttpResult = APIGatewayProxyResult | APIGatewayProxyStructuredResultV2 | ALBResult;

export function toLambdaResult(
  response: WebhookResponse,
  shape: LambdaHttpShape,
  event: LambdaHttpEvent,
): LambdaHttpResult {
  const base = { statusCode: response.status, body: response.body, isBase64Encoded: false };
  if (shape !== "alb") return { ...base, headers: { ...response.headers } };
  // ALB wants a status line, and multi-value headers back when the target group has them switched on.
  const statusDescription = `${response.status} ${STATUS_CODES[response.status] ?? ""}`.trim();
  if ("multiValueHeaders" in event && event.multiValueHeaders) {
    const multiValueHeaders = Object.fromEntries(
      Object.entries(response.headers).map(([name, value]) => [name, [value]]),
    );
    return { ...base, statusDescription, multiValueHeaders };
  }
  return { ...base, statusDescription, headers: { ...response.headers } };
}
