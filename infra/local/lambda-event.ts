// A faithful API Gateway HTTP API (payload 2.0) event for a request that reached the local receiver, built the way
// AWS builds it: lower-case header names, repeated headers comma-joined, and the body base64-encoded unless its
// content type is one AWS passes as text.
import type { IncomingHttpHeaders } from "node:http";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

const TEXT_TYPES = ["application/json", "application/xml", "application/javascript"];

export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return type.startsWith("text/") || TEXT_TYPES.includes(type);
}

export function httpApiV2Event(request: {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
}): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  const cookies = headers.cookie?.split(";").map((cookie) => cookie.trim());
  delete headers.cookie;
  const base64 = !isTextContentType(headers["content-type"]);
  const now = new Date();
  return {
    version: "2.0",
    routeKey: `${request.method} ${request.url.pathname}`,
    rawPath: request.url.pathname,
    rawQueryString: request.url.search.slice(1),
    ...(cookies ? { cookies } : {}),
    headers,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: request.url.host,
      domainPrefix: "local",
      http: {
        method: request.method,
        path: request.url.pathname,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: `local-${now.getTime().toString(36)}`,
      routeKey: `${request.method} ${request.url.pathname}`,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: request.body.length === 0 ? undefined : request.body.toString(base64 ? "base64" : "utf8"),
    isBase64Encoded: base64 && request.body.length > 0,
  } as APIGatewayProxyEventV2;
}
