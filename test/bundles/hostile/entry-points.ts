// Every platform entry point, driven with a hostile case in that platform's own shape: a Web Request (Vercel POST,
// Netlify v2), a real HTTP request to a Node server (Vercel/Next.js `(req, res)` flavour), each Lambda event shape, and
// the legacy Netlify event. Each driver also says what the platform handed the receiver (method, bytes, signature
// values), which is what the oracle in cases.ts judges.
import { Agent, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { BUNDLES } from "../../../infra/build/bundles.ts";
import { LAMBDA_SHAPES, type LambdaShapeName, lambdaEvent } from "../../../infra/drive/lambda-events.ts";
import { importBundle } from "../../support/bundles.ts";
import { listenOnLoopback } from "../../support/http.ts";
import { type HeaderPair, type HostileCase, headerValues, SIGNATURE, TOPIC } from "./cases.ts";

/**
 * A platform's factory bundle, wherever infra/build/bundles.ts puts it: `factory`
 * (functions/factories/<platform>/commercelayer-webhook-factory.ts) or another factory file of that platform
 * (`legacy-factory`, or `external-factory` for commercelayer-external-factory.ts).
 */
export function importFactory<T>(
  platform: "aws-lambda" | "vercel" | "netlify" | "node",
  file: "factory" | "legacy-factory" | "external-factory" = "factory",
): Promise<T> {
  const stem = file === "external-factory" ? "external-factory" : `webhook-${file}`;
  const entry = `functions/factories/${platform}/commercelayer-${stem}.ts`;
  const spec = BUNDLES.find((candidate) => candidate.entry === entry);
  if (spec === undefined) throw new Error(`no factory bundle for ${entry} in infra/build/bundles.ts`);
  return importBundle<T>(spec.outfile);
}

export interface Delivered {
  readonly method: string;
  readonly received: Buffer;
  readonly signatureValues: readonly string[];
  readonly topicValues: readonly string[];
}

export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Node over HTTP only: the server dropped the connection (allowed only after a 413 for an oversize body). */
  readonly dropped?: boolean;
}

export interface EntryPoint {
  readonly name: string;
  /** A Lambda-style event with `isBase64Encoded`, which a hostile sender may make lie. */
  readonly base64Flag: boolean;
  send(hostile: HostileCase): Promise<{ delivered: Delivered; answer: Answer }>;
  close?(): Promise<void>;
}

type WebHandler = (request: Request, context?: unknown) => Promise<Response>;
type LambdaHandler = (event: unknown, context?: unknown) => Promise<LambdaResult>;
type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
interface LambdaResult {
  statusCode: number;
  body: string;
  headers?: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, (string | number | boolean)[]>;
}

const hasBody = (method: string) => method !== "GET" && method !== "HEAD";

function chunksOf(body: Buffer, hostile: HostileCase): Uint8Array[] {
  const size = Math.max(1, Math.ceil(body.length / (1 + (hostile.index % 4))));
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < body.length; offset += size)
    chunks.push(new Uint8Array(body.subarray(offset, offset + size)));
  return chunks;
}

/** A Request as Vercel's and Netlify's runtimes build it from the wire: Content-Length, or a chunked stream. */
function webRequest(hostile: HostileCase): Request {
  const headers = new Headers();
  for (const [name, value] of hostile.headers) headers.append(name, value);
  const url = "https://example.app/api/webhooks/commercelayer";
  if (!hasBody(hostile.method)) return new Request(url, { method: hostile.method, headers });
  if (!hostile.stream) {
    headers.set("content-length", String(hostile.body.length));
    return new Request(url, { method: hostile.method, headers, body: new Uint8Array(hostile.body) });
  }
  const chunks = chunksOf(hostile.body, hostile);
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
  return new Request(url, { method: hostile.method, headers, body, duplex: "half" } as RequestInit);
}

async function webAnswer(response: Response): Promise<Answer> {
  return { status: response.status, body: await response.text(), headers: Object.fromEntries(response.headers) };
}

export function webEntryPoint(name: string, handler: WebHandler, context?: unknown): EntryPoint {
  return {
    name,
    base64Flag: false,
    async send(hostile) {
      const request = webRequest(hostile);
      const values = (name: string) =>
        request.headers
          .get(name)
          ?.split(",")
          .map((value) => value.trim()) ?? [];
      const delivered = {
        method: request.method,
        received: hasBody(request.method) ? hostile.body : Buffer.alloc(0),
        signatureValues: values(SIGNATURE),
        topicValues: values(TOPIC),
      };
      return { delivered, answer: await webAnswer(await handler(request, context)) };
    },
  };
}

function lambdaAnswer(result: LambdaResult): Answer {
  const headers =
    result.headers ??
    Object.fromEntries(Object.entries(result.multiValueHeaders ?? {}).map(([key, values]) => [key, values[0]]));
  return {
    status: result.statusCode,
    body: result.body,
    headers: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, String(value)])),
  };
}

/** Header pairs grouped by name: by exact name where the platform keeps the sender's case, else by lower case. */
function group(pairs: readonly HeaderPair[], keepCase: boolean): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const key = keepCase ? name : name.toLowerCase();
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  return grouped;
}

/**
 * The event each Lambda source builds (infra/drive/lambda-events.ts), with repeated headers where that source puts
 * them: REST and HTTP API 1.0 keep every value in `multiValueHeaders` (REST keeps the sender's case), HTTP API 2.0 and
 * Function URLs comma-join, ALB without multi-value headers keeps the last value only.
 */
export function hostileLambdaEvent(
  shape: LambdaShapeName,
  hostile: HostileCase,
): { event: unknown; delivered: Delivered } {
  const keepCase = shape === "rest-v1";
  const grouped = group(hostile.headers, keepCase);
  const lastOnly = shape === "alb";
  const joined = shape === "http-api-v2" || shape === "function-url";
  const single = Object.fromEntries(
    [...grouped].map(([name, values]) => [name, lastOnly || !joined ? (values.at(-1) as string) : values.join(",")]),
  );
  const event = lambdaEvent(shape, { method: hostile.method, headers: single, body: hostile.body }, hostile.base64) as {
    multiValueHeaders?: Record<string, string[]>;
    headers?: Record<string, string>;
    body?: string | null;
    isBase64Encoded: boolean;
  };
  if (event.multiValueHeaders) event.multiValueHeaders = Object.fromEntries(grouped);
  if (shape === "http-api-v1" && event.headers)
    event.headers = Object.fromEntries([...grouped].map(([name, values]) => [name, values.join(",")]));
  if (hostile.flagLies) event.isBase64Encoded = !event.isBase64Encoded;
  const seen: HeaderPair[] = lastOnly
    ? [...grouped].map(([name, values]) => [name, values.at(-1) as string] as const)
    : [...hostile.headers];
  return {
    event,
    delivered: {
      method: hostile.method,
      received: Buffer.from(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8"),
      signatureValues: headerValues(seen, SIGNATURE),
      topicValues: headerValues(seen, TOPIC),
    },
  };
}

export function lambdaEntryPoint(name: string, shape: LambdaShapeName, handler: LambdaHandler): EntryPoint {
  return {
    name,
    base64Flag: true,
    async send(hostile) {
      const { event, delivered } = hostileLambdaEvent(shape, hostile);
      return { delivered, answer: lambdaAnswer(await handler(event, {})) };
    },
  };
}

export function lambdaEntryPoints(prefix: string, handler: LambdaHandler): EntryPoint[] {
  return LAMBDA_SHAPES.map((shape) => lambdaEntryPoint(`${prefix} ${shape}`, shape, handler));
}

/** The event Netlify builds for a legacy (v1) function: lower-case names, every value in multiValueHeaders. */
export function netlifyLegacyEntryPoint(name: string, handler: LambdaHandler): EntryPoint {
  return {
    name,
    base64Flag: true,
    async send(hostile) {
      const grouped = group(hostile.headers, false);
      const isBase64 = hostile.base64 !== hostile.flagLies;
      const event = {
        path: "/.netlify/functions/commercelayer-webhook-legacy",
        httpMethod: hostile.method,
        headers: Object.fromEntries([...grouped].map(([key, values]) => [key, values.join(",")])),
        multiValueHeaders: Object.fromEntries(grouped),
        queryStringParameters: {},
        multiValueQueryStringParameters: {},
        rawUrl: "https://cl-webhooks.netlify.app/.netlify/functions/commercelayer-webhook-legacy",
        rawQuery: "",
        body: hostile.body.toString(hostile.base64 ? "base64" : "utf8"),
        isBase64Encoded: isBase64,
      };
      const delivered = {
        method: hostile.method,
        received: Buffer.from(event.body, isBase64 ? "base64" : "utf8"),
        signatureValues: headerValues(hostile.headers, SIGNATURE),
        topicValues: headerValues(hostile.headers, TOPIC),
      };
      return { delivered, answer: lambdaAnswer(await handler(event, {})) };
    },
  };
}

/**
 * The Node `(req, res)` flavour on a real HTTP server on loopback, one request at a time over a keep-alive connection.
 * `failures` counts the times the handler's promise rejected: a plain Node server would crash on that.
 */
export async function nodeEntryPoint(
  name: string,
  handler: NodeHandler,
): Promise<EntryPoint & { readonly failures: () => number }> {
  let failures = 0;
  const { url, server } = await listenOnLoopback((req, res) =>
    handler(req, res).catch(() => {
      failures++;
      if (!res.headersSent) res.writeHead(599).end();
    }),
  );
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    name,
    base64Flag: false,
    failures: () => failures,
    send: (hostile) => sendOverHttp(url, agent, hostile),
    async close() {
      agent.destroy();
      await closeServer(server);
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function sendOverHttp(
  url: string,
  agent: Agent,
  hostile: HostileCase,
): Promise<{ delivered: Delivered; answer: Answer }> {
  // Repeated names go out as repeated header lines; Node's server joins them with ", " as the platforms do.
  const headers: Record<string, string[]> = {};
  const firstName = new Map<string, string>();
  for (const [name, value] of hostile.headers) {
    const key = firstName.get(name.toLowerCase()) ?? name;
    firstName.set(name.toLowerCase(), key);
    headers[key] = [...(headers[key] ?? []), value];
  }
  const withBody = hasBody(hostile.method);
  // Node's client only chunks POST/PUT/PATCH bodies by default; DELETE and OPTIONS need it said.
  if (withBody)
    headers[hostile.stream ? "transfer-encoding" : "content-length"] = [
      hostile.stream ? "chunked" : String(hostile.body.length),
    ];
  const delivered = {
    method: hostile.method,
    received: withBody ? hostile.body : Buffer.alloc(0),
    signatureValues: headerValues(hostile.headers, SIGNATURE),
    topicValues: headerValues(hostile.headers, TOPIC),
  };
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: hostile.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          delivered,
          answer: {
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            headers: Object.fromEntries(Object.entries(res.headers).map(([key, value]) => [key, String(value ?? "")])),
          },
        }),
      );
      res.on("error", reject);
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      // Over the limit the server answers 413 and drops the connection; the rest of the body may not get out.
      if (error.code === "ECONNRESET" || error.code === "EPIPE")
        resolve({ delivered, answer: { status: 0, body: "", headers: {}, dropped: true } });
      else reject(error);
    });
    if (!withBody) req.end();
    else if (!hostile.stream) req.end(hostile.body);
    else {
      for (const chunk of chunksOf(hostile.body, hostile)) req.write(chunk);
      req.end();
    }
  });
}
