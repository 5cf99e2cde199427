// The Lambda adapter: API Gateway REST (v1), HTTP API (payload 1.0 and 2.0), Function URLs and ALB, recognised from the
// event's own fields, each turned into the core's request, and the answer into the result that source expects.
// Netlify's legacy (v1) functions receive the same events.

// Node's own reason phrases: node:http is already loaded in the Lambda runtime (its Runtime API client uses it).
import { STATUS_CODES } from "node:http";
import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from "aws-lambda";
import type { HttpAnswer } from "../core/answer.ts";
import type { HttpEndpoint, HttpRequest } from "../core/endpoint.ts";
import { rejected } from "../core/result.ts";

/** `rest` covers API Gateway REST proxy (v1) and HTTP API payload 1.0; `http-api-v2` covers payload 2.0 and Function URLs. */
export type LambdaHttpShape = "rest" | "http-api-v2" | "alb";

export type LambdaHttpEvent = APIGatewayProxyEvent | APIGatewayProxyEventV2 | ALBEvent;

export type LambdaHttpResult = APIGatewayProxyResult | APIGatewayProxyStructuredResultV2 | ALBResult;

export type LambdaHandler = (event: LambdaHttpEvent, context?: Context) => Promise<LambdaHttpResult>;

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
  const merged: Record<string, string[]> = {};
  // `values` is always a new array of the caller's: kept as it is, or appended to the one already there. Own keys
  // only: a header named like an Object property (`constructor`) is a name like any other.
  const add = (name: string, values: string[]) => {
    const key = name.toLowerCase();
    merged[key] = Object.hasOwn(merged, key) ? [...(merged[key] ?? []), ...values] : values;
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

export function toHttpRequest(event: LambdaHttpEvent, shape: LambdaHttpShape): HttpRequest {
  // Netlify's legacy events carry the URL the request was sent to (`rawUrl`); API Gateway's do not need one.
  const { rawUrl } = event as { rawUrl?: unknown };
  // One request built for both payload versions: they differ only in where the method, headers and path are.
  const v2 = shape === "http-api-v2" ? (event as APIGatewayProxyEventV2) : undefined;
  const v1 = event as APIGatewayProxyEvent | ALBEvent;
  return {
    method: v2 ? v2.requestContext.http.method : v1.httpMethod,
    headers: v2 ? (v2.headers ?? {}) : mergeLambdaHeaders(v1.headers, v1.multiValueHeaders),
    body: readLambdaBody(event),
    path: v2 ? v2.rawPath : v1.path,
    ...(typeof rawUrl === "string" ? { url: rawUrl } : {}),
  };
}

export function toLambdaResult(answer: HttpAnswer, shape: LambdaHttpShape, event: unknown): LambdaHttpResult {
  const { status, headers } = answer;
  // The headers copied: the answer's may be a constant shared by every call (JSON_HEADERS).
  const base = { statusCode: status, body: answer.body, isBase64Encoded: false };
  if (shape !== "alb") return { ...base, headers: { ...headers } };
  // ALB wants a status line, and multi-value headers back when the target group has them switched on.
  const statusDescription = `${status} ${STATUS_CODES[status] ?? ""}`.trim();
  return isObject(event) && isObject(event.multiValueHeaders)
    ? {
        ...base,
        statusDescription,
        multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      }
    : { ...base, statusDescription, headers: { ...headers } };
}

/** An endpoint served as a Lambda handler for every HTTP event source. */
export function serveLambda(endpoint: HttpEndpoint): LambdaHandler {
  return async (event) => {
    const shape = recogniseHttpEvent(event);
    if (shape === undefined) {
      // Wired to a non-HTTP trigger by mistake: say so once, answer like HTTP would, never throw.
      const hint = "connect this function to API Gateway, a Function URL or an ALB";
      return toLambdaResult(endpoint.refuse(rejected("not_an_http_event", { hint })), "rest", event);
    }
    return toLambdaResult(await endpoint.answer(toHttpRequest(event, shape)), shape, event);
  };
}
