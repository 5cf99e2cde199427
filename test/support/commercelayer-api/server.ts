// The stand-in's HTTP side: one node:http server for the token endpoint (/oauth/token, /oauth/revoke,
// /.well-known/jwks.json), the API (/api/...) and the control routes (/_stand-in/...). Every request but the control
// routes is recorded and may be answered by a fault first; /api requires a valid bearer token.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { type Answer, type ApiContext, routeApi } from "./api-routes.ts";
import { ApiFailure, authErrorBody, cannedFailure, fail } from "./errors.ts";
import type { FaultRule, Faults, RecordedRequest } from "./faults.ts";
import type { TokenIssuer } from "./token.ts";

export type { Answer } from "./api-routes.ts";

export interface ServedParts {
  readonly api: ApiContext;
  readonly tokens: TokenIssuer;
  readonly faults: Faults;
  readonly requests: RecordedRequest[];
  /** The /_stand-in routes (control-routes.ts). */
  readonly control: (method: string, url: URL, body: string) => Promise<Answer>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) request.destroy(new Error("request body too large"));
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, answer: Answer, contentType: string): void {
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.body === undefined) {
    response.writeHead(answer.status, headers).end();
    return;
  }
  const body = JSON.stringify(answer.body);
  response
    .writeHead(answer.status, {
      ...headers,
      "content-type": contentType,
      "content-length": String(Buffer.byteLength(body)),
    })
    .end(body);
}

const isAuthPath = (path: string) => path.startsWith("/oauth/") || path === "/.well-known/jwks.json";

/** A fault's answer: the API's error document, or the token endpoint's on its paths. */
function faultAnswer(rule: FaultRule, path: string): Answer {
  const failure = cannedFailure(rule.status ?? 500);
  const retryAfter = rule.retryAfterSeconds ?? (failure.status === 429 ? 1 : undefined);
  const headers = { ...failure.headers, ...(retryAfter === undefined ? {} : { "retry-after": String(retryAfter) }) };
  if (!isAuthPath(path)) return { status: failure.status, body: { errors: failure.errors }, headers };
  const [error] = failure.errors;
  return {
    status: failure.status,
    body: authErrorBody(failure.status, error?.title ?? "", error?.code ?? "", error?.detail ?? ""),
    headers,
  };
}

async function answer(parts: ServedParts, request: IncomingMessage, url: URL, body: string): Promise<Answer> {
  const method = request.method ?? "GET";
  const path = url.pathname;
  if (path === "/oauth/token" || path === "/oauth/revoke") {
    if (method !== "POST") {
      const refusal = authErrorBody(405, "method_not_allowed", "METHOD_NOT_ALLOWED", "POST only.");
      return { status: 405, body: refusal, headers: { allow: "POST" } };
    }
    return path === "/oauth/token"
      ? parts.tokens.handleTokenRequest(body, request.headers)
      : parts.tokens.handleRevoke(body, request.headers);
  }
  if (path === "/.well-known/jwks.json") return { status: 200, body: parts.tokens.jwks() };
  if (path !== "/api" && !path.startsWith("/api/")) throw fail.routeNotFound(path);
  parts.tokens.authorize(request.headers.authorization);
  return routeApi(parts.api, method, url, request.headers, body);
}

export function requestHandler(parts: ServedParts, origin: string) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const method = request.method ?? "GET";
    const url = new URL(request.url ?? "/", origin);
    const contentType = url.pathname.startsWith("/api") ? "application/vnd.api+json" : "application/json";
    const record = (status: number, fault: boolean) =>
      parts.requests.push({
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status,
        fault,
        at: new Date().toISOString(),
      });
    try {
      const body = await readBody(request);
      if (url.pathname === "/_stand-in" || url.pathname.startsWith("/_stand-in/")) {
        send(response, await parts.control(method, url, body), "application/json");
        return;
      }
      const fault = parts.faults.take(method, url.pathname);
      if (fault !== undefined) {
        if (fault.delayMs !== undefined) await sleep(fault.delayMs);
        record(fault.dropConnection ? 0 : (fault.status ?? 500), true);
        if (fault.dropConnection) request.socket.destroy();
        else send(response, faultAnswer(fault, url.pathname), contentType);
        return;
      }
      let result: Answer;
      try {
        result = await answer(parts, request, url, body);
      } catch (error) {
        if (!(error instanceof ApiFailure)) throw error;
        result = { status: error.status, body: { errors: error.errors }, headers: error.headers };
      }
      record(result.status, false);
      send(response, result, contentType);
    } catch (error) {
      // A fault of the stand-in itself: answered as the API's 500, and told, since a test may be chasing it.
      console.error("commercelayer stand-in:", error);
      const failure = fail.internal();
      record(500, false);
      if (!response.headersSent) send(response, { status: 500, body: { errors: failure.errors } }, contentType);
    }
  };
}

export interface Listening {
  readonly origin: string;
  serve(handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>): void;
  close(): Promise<void>;
}

/** Listens first (the origin is part of every document's links), serves once the handler is given. */
export async function listen(host: string, port: number): Promise<Listening> {
  let handler: ((request: IncomingMessage, response: ServerResponse) => Promise<void>) | undefined;
  const server = createServer((request, response) => {
    if (handler === undefined) response.writeHead(503).end();
    else void handler(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    origin: `http://${host.includes(":") ? `[${host}]` : host}:${bound}`,
    serve: (next) => {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
