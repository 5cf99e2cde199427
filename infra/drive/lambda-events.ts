// Lambda events for every HTTP source, built the way each source builds them (see @types/aws-lambda): header case,
// where repeated headers go, and whether the body is base64. The one builder of Lambda events: the local receiver
// (`npm start`), the benchmarks and the suites all drive the Lambda bundles with these.
import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyEventV2 } from "aws-lambda";

/** A request as it left the sender. */
export interface LambdaRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}
type ContractRequest = LambdaRequest;

const TEXT_TYPES = ["application/json", "application/xml", "application/javascript"];

/**
 * Whether API Gateway's HTTP API (and a Function URL) base64-encodes a body of this content type: everything but
 * text/*, JSON, XML and JavaScript, and a missing content type.
 */
export function httpApiEncodesAsBase64(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return !(type.startsWith("text/") || TEXT_TYPES.includes(type));
}

export type LambdaShapeName = "rest-v1" | "http-api-v1" | "http-api-v2" | "function-url" | "alb" | "alb-multi-value";

export const LAMBDA_SHAPES: readonly LambdaShapeName[] = [
  "rest-v1",
  "http-api-v1",
  "http-api-v2",
  "function-url",
  "alb",
  "alb-multi-value",
];

const PATH = "/webhooks/commercelayer";

function body(request: ContractRequest, base64: boolean): string | null {
  if (request.body.length === 0) return null;
  return request.body.toString(base64 ? "base64" : "utf8");
}

const lowerCased = (headers: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
const asMultiValue = (headers: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));

function restEvent(request: ContractRequest, base64: boolean, version?: "1.0"): APIGatewayProxyEvent {
  // REST keeps the sender's header case; HTTP API payload 1.0 lower-cases. Both carry headers and multiValueHeaders.
  const headers = version === "1.0" ? lowerCased(request.headers) : { ...request.headers };
  return {
    ...(version ? { version } : {}),
    resource: PATH,
    path: PATH,
    httpMethod: request.method,
    headers,
    multiValueHeaders: asMultiValue(headers),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      authorizer: null,
      httpMethod: request.method,
      identity: { sourceIp: "203.0.113.7" } as APIGatewayProxyEvent["requestContext"]["identity"],
      path: `/prod${PATH}`,
      protocol: "HTTP/1.1",
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      requestTimeEpoch: 1_795_824_574_083,
      resourceId: "123456",
      resourcePath: PATH,
      stage: "prod",
    },
    body: body(request, base64),
    isBase64Encoded: base64,
  } as APIGatewayProxyEvent;
}

function httpApiV2Event(request: ContractRequest, base64: boolean, functionUrl: boolean): APIGatewayProxyEventV2 {
  const domainName = functionUrl
    ? "abcdefghij.lambda-url.eu-west-1.on.aws"
    : "abc123.execute-api.eu-west-1.amazonaws.com";
  const eventBody = body(request, base64);
  return {
    version: "2.0",
    routeKey: functionUrl ? "$default" : `POST ${PATH}`,
    rawPath: PATH,
    rawQueryString: "",
    headers: lowerCased(request.headers),
    requestContext: {
      accountId: functionUrl ? "anonymous" : "123456789012",
      apiId: functionUrl ? "abcdefghij" : "abc123",
      domainName,
      domainPrefix: domainName.split(".")[0] ?? "",
      http: {
        method: request.method,
        path: PATH,
        protocol: "HTTP/1.1",
        sourceIp: "203.0.113.7",
        userAgent: "CommerceLayer Module",
      },
      requestId: "JKJaXmPLvHcESHA=",
      routeKey: functionUrl ? "$default" : `POST ${PATH}`,
      stage: "$default",
      time: "02/Nov/2026:09:30:00 +0000",
      timeEpoch: 1_795_824_574_083,
    },
    ...(eventBody === null ? {} : { body: eventBody }),
    isBase64Encoded: base64,
  };
}

function albEvent(request: ContractRequest, base64: boolean, multiValue: boolean): ALBEvent {
  const headers = lowerCased(request.headers);
  return {
    requestContext: {
      elb: { targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/cl/6d0ecf831eec9f09" },
    },
    httpMethod: request.method,
    path: PATH,
    ...(multiValue
      ? { multiValueHeaders: asMultiValue(headers), multiValueQueryStringParameters: {} }
      : { headers, queryStringParameters: {} }),
    body: body(request, base64) ?? "",
    isBase64Encoded: base64,
  };
}

export function lambdaEvent(shape: LambdaShapeName, request: ContractRequest, base64: boolean) {
  switch (shape) {
    case "rest-v1":
      return restEvent(request, base64);
    case "http-api-v1":
      return restEvent(request, base64, "1.0");
    case "http-api-v2":
      return httpApiV2Event(request, base64, false);
    case "function-url":
      return httpApiV2Event(request, base64, true);
    case "alb":
      return albEvent(request, base64, false);
    case "alb-multi-value":
      return albEvent(request, base64, true);
  }
}
