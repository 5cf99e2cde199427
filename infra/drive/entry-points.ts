// Driving a built bundle through its platform's request shape: which file and export each deployable entry point is, the
// input its platform would hand it for a request (a Web Request, a Node (req, res) pair, a Lambda event), and the
// answer read back. The local receiver (`npm start`), the benchmarks and the suites all call bundles through this.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { httpApiEncodesAsBase64, lambdaEvent } from "./lambda-events.ts";

/** How a platform calls the export: a Web Request, Node's (req, res), or a Lambda event of one shape. */
export type EntryShape = "web" | "node" | "lambda-http-api-v2" | "lambda-rest";

export interface EntryPoint {
  /** The bundle, relative to the folder the build wrote (`dist/...`). */
  readonly bundle: string;
  /** The export the platform calls. */
  readonly exportName: string;
  readonly shape: EntryShape;
}

/** Every deployable receiving bundle, as its platform calls it. */
export const ENTRY_POINTS = {
  vercel: { bundle: "dist/vercel/commercelayer-webhook.mjs", exportName: "POST", shape: "web" },
  "vercel-node": { bundle: "dist/vercel/commercelayer-webhook-node.mjs", exportName: "default", shape: "node" },
  // API Gateway's HTTP API, the event serverless.yml's httpApi gives the function.
  "aws-lambda": {
    bundle: "dist/aws-lambda/commercelayer-webhook.mjs",
    exportName: "handler",
    shape: "lambda-http-api-v2",
  },
  netlify: { bundle: "dist/netlify/commercelayer-webhook.mjs", exportName: "default", shape: "web" },
  // Netlify's legacy functions get a REST-shaped event.
  "netlify-legacy": {
    bundle: "dist/netlify/commercelayer-webhook-legacy.mjs",
    exportName: "handler",
    shape: "lambda-rest",
  },
} as const satisfies Record<string, EntryPoint>;

export type EntryName = keyof typeof ENTRY_POINTS;

/** A request as it left the sender. Header values may repeat (an array), as a Node server receives them. */
export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body: Buffer;
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

type AnyExport = (...args: unknown[]) => Promise<unknown>;

/** The response half of a Node pair: records what the handler wrote; `finished` settles at `end()`. */
interface RecordingResponse {
  statusCode: number;
  readonly headers: Record<string, string>;
  readonly chunks: Buffer[];
  readonly finished: Promise<void>;
}

function recordingResponse(): RecordingResponse & Partial<ServerResponse> {
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const response = {
    statusCode: 200,
    headers: {} as Record<string, string>,
    chunks: [] as Buffer[],
    finished,
    setHeader(name: string, value: string | number | readonly string[]) {
      response.headers[name.toLowerCase()] = String(value);
    },
    end(body?: string | Buffer) {
      if (body !== undefined) response.chunks.push(Buffer.from(body));
      done();
    },
    once() {},
    destroy() {
      done();
    },
  };
  return response as unknown as RecordingResponse & Partial<ServerResponse>;
}

const joined = (headers: SentRequest["headers"]): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, typeof value === "string" ? value : value.join(",")]),
  );

/**
 * What the platform hands the export for this request, built apart from the call so that a benchmark can build its
 * inputs before it starts the clock.
 */
export function platformInput(shape: EntryShape, request: SentRequest): unknown[] {
  const { method, url, body } = request;
  switch (shape) {
    case "web": {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers))
        for (const item of typeof value === "string" ? [value] : value) headers.append(name, item);
      const hasBody = method !== "GET" && method !== "HEAD";
      return [new Request(url, { method, headers, body: hasBody ? new Uint8Array(body) : null })];
    }
    case "node": {
      const req = Object.assign(Readable.from([body], { objectMode: false }), {
        method,
        url,
        headers: request.headers,
      });
      return [req as unknown as IncomingMessage, recordingResponse()];
    }
    case "lambda-http-api-v2": {
      // As AWS builds it: lower-case names, repeated headers comma-joined, base64 unless the content type is text.
      const headers = joined(request.headers);
      const base64 = httpApiEncodesAsBase64(headers["content-type"]) && body.length > 0;
      return [lambdaEvent("http-api-v2", { method, headers, body }, base64)];
    }
    case "lambda-rest":
      return [lambdaEvent("rest-v1", { method, headers: joined(request.headers), body }, false)];
  }
}

/** Calls the export with a prepared input (and the platform's context, where it passes one). */
export function callEntry(
  entry: AnyExport,
  shape: EntryShape,
  input: unknown[],
  context: unknown = {},
): Promise<unknown> {
  return shape === "node" ? entry(...input) : entry(...input, context);
}

/** The answer, read back from what the export returned (or, for Node, wrote). */
export async function readAnswer(shape: EntryShape, input: unknown[], returned: unknown): Promise<Answer> {
  if (shape === "web") {
    const response = returned as Response;
    const body = Buffer.from(await response.arrayBuffer());
    return { status: response.status, headers: Object.fromEntries(response.headers), body };
  }
  if (shape === "node") {
    const response = input[1] as RecordingResponse;
    await response.finished;
    return { status: response.statusCode, headers: response.headers, body: Buffer.concat(response.chunks) };
  }
  const result = returned as {
    statusCode?: number;
    headers?: Record<string, unknown>;
    body?: string;
    isBase64Encoded?: boolean;
  };
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
  );
  return {
    status: result.statusCode ?? 200,
    headers,
    body: Buffer.from(result.body ?? "", result.isBase64Encoded ? "base64" : "utf8"),
  };
}

/** One entry point of a build (`root`: the folder holding its dist/), ready to take requests. */
export async function loadEntry(
  root: string,
  name: EntryName,
): Promise<(request: SentRequest, context?: unknown) => Promise<Answer>> {
  const { bundle, exportName, shape } = ENTRY_POINTS[name];
  const module = (await import(pathToFileURL(`${root.replace(/\/$/, "")}/${bundle}`).href)) as Record<
    string,
    AnyExport
  >;
  const entry = module[exportName];
  if (typeof entry !== "function") throw new Error(`${bundle} does not export ${exportName}`);
  return async (request, context) => {
    const input = platformInput(shape, request);
    return readAnswer(shape, input, await callEntry(entry, shape, input, context));
  };
}
