// The HTTP event shapes Lambda receives, recognised from the event's own fields, each turned into the core's request.
import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyEventV2 } from "aws-lambda";
import type { WebhookRequest } from "../../shared/receiver.ts";

/** `rest` covers API Gateway REST proxy (v1) and HTTP API payload 1.0; `http-api-v2` covers payload 2.0 and Function URLs. */
export type LambdaHttpShape = "rest" | "http-api-v2" | "alb";

export type LambdaHttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2 | ALBEvent;

type HeaderRecord = Record<string, string | undefined>;
type MultiValueHeaderRecord = Record<string, string[] | undefined>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Which HTTP event this is, or undefined for anything else (an SQS record, a scheduled event, a direct invoke...). */
export function recogniseHttpEvent(event: unknown): LambdaHttpShape | undefined {
  if (!isObject(event)) return undefined;
  const context = event.requestContext;
  if (isObject(context) && isObject(context.http) && typeof context.http.method === "string") return "http-api-v2";
  if (isObject(context) && isObject(context.elb)) return typeof event.httpMethod === "string" ? "alb" : undefined;
  if (typeof event.httpMethod === "string") return "rest";
  return undefined;
}

/**
 * The body: base64-decoded to bytes when Lambda says so, otherwise the text Lambda decoded the bytes to, passed as it
 * is (the core hashes it as UTF-8, which gives back those bytes, and parses it without a second decode).
 * A missing or null body is an empty one.
 */
export function readLambdaBody(event: { body?: unknown; isBase64Encoded?: boolean }): Uint8Array | string {
  const body = typeof event.body === "string" ? event.body : "";
  return event.isBase64Encoded ? Buffer.from(body, "base64") : body;
}

/**
 * One header record for the core. REST and ALB events may carry both `headers` (last value wins) and
 * `multiValueHeaders` (every value); a name found in `multiValueHeaders` takes its values from there, so that a
 * duplicated signature header is seen as duplicated and a header sent only there is still found.
 */
export function mergeLambdaHeaders(
  headers: HeaderRecord | null | undefined,
  multiValueHeaders: MultiValueHeaderRecord | null | undefined,
): Record<string, string | string[]> {
  const merged: Record<string, string | string[]> = {};
  const add = (name: string, values: readonly string[]) => {
    const key = name.toLowerCase();
    const existing = merged[key];
    merged[key] =
      existing === undefined ? [...values] : [...(Array.isArray(existing) ? existing : [existing]), ...values];
  };
  const fromMultiValue = new Set<string>();
  for (const [name, values] of Object.entries(multiValueHeaders ?? {})) {
    // Only strings count: a hand-built event may hold anything, and a header is never worth a crash.
    const strings = Array.isArray(values) ? values.filter((value) => typeof value === "string") : [];
    if (strings.length === 0) continue;
    fromMultiValue.add(name.toLowerCase());
    add(name, strings);
  }
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value !== "string" || fromMultiValue.has(name.toLowerCase())) continue;
    add(name, [value]);
  }
  return merged;
}

export function toWebhookRequest(event: LambdaHttpEvent, shape: LambdaHttpShape): WebhookRequest {
  if (shape === "http-api-v2") {
    const v2 = event as APIGatewayProxyEventV2;
    return { method: v2.requestContext.http.method, headers: v2.headers ?? {}, body: readLambdaBody(v2) };
  }
  const v1 = event as APIGatewayProxyEvent | ALBEvent;
  return {
    method: v1.httpMethod,
    headers: mergeLambdaHeaders(v1.headers, v1.multiValueHeaders),
    body: readLambdaBody(v1),
  };
}
