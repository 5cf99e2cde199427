// The built bundles, each called through its own platform's shape, as the local receiver serves them.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { pathToFileURL } from "node:url";
import type { APIGatewayProxyStructuredResultV2, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { httpApiEncodesAsBase64, lambdaEvent } from "../drive/lambda-events.ts";
import { type LocalQueue, startLocalQueue } from "./local-queue.ts";

export interface LocalRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
  readonly sourceIp: string;
}

export interface LocalResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface LocalPlatform {
  /** Label printed on each delivery line. */
  readonly name: string;
  /** Called by another bundle, not by a sender (Netlify's background function): not listed as a delivery URL. */
  readonly internal?: boolean;
  /** The path it is served at on the local receiver. */
  readonly path: string;
  /** Which bundle serves it, relative to the repository root. */
  readonly bundle: string;
  handle(request: LocalRequest): Promise<LocalResponse>;
}

function toWebRequest(request: LocalRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new Request(request.url, {
    method: request.method,
    headers,
    body: hasBody ? new Uint8Array(request.body) : null,
  });
}

async function fromWebResponse(response: Response): Promise<LocalResponse> {
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: Buffer.from(await response.arrayBuffer()),
  };
}

async function importBundle(root: URL, bundle: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(new URL(bundle, root).pathname).href)) as Record<string, unknown>;
}

export interface LocalPlatforms {
  readonly platforms: LocalPlatform[];
  /** Stops what serves the deferred handlers (the local queue and its poller). */
  stop(): Promise<void>;
}

/**
 * Each platform's default deployment, deferred handlers included: the Vercel bundle runs them in-process after the
 * answer (waitUntil), the Lambda bundle sends them to a local SQS queue whose poller runs the worker bundle, and the
 * Netlify bundle POSTs them to its background function, served here at Netlify's path for it.
 */
export async function loadLocalPlatforms(root: URL): Promise<LocalPlatforms> {
  const queue: LocalQueue = await startLocalQueue();
  Object.assign(process.env, queue.env, { COMMERCELAYER_WEBHOOK_QUEUE_URL: queue.queueUrl });
  const vercel = await importBundle(root, "dist/vercel/commercelayer-webhook.mjs");
  const lambda = await importBundle(root, "dist/aws-lambda/commercelayer-webhook.mjs");
  const lambdaWorker = await importBundle(root, "dist/aws-lambda/commercelayer-webhook-worker.mjs");
  const netlify = await importBundle(root, "dist/netlify/commercelayer-webhook.mjs");
  const netlifyWorker = await importBundle(root, "dist/netlify/commercelayer-webhook-worker-background.mjs");
  queue.poll(lambdaWorker.handler as (event: SQSEvent) => Promise<SQSBatchResponse>);
  const netlifyWorkerHandler = netlifyWorker.default as (request: Request, context: unknown) => Promise<Response>;
  const vercelMethods = vercel as Record<string, ((request: Request) => Promise<Response>) | undefined>;
  const lambdaHandler = lambda.handler as (
    event: unknown,
    context: unknown,
  ) => Promise<APIGatewayProxyStructuredResultV2>;
  const netlifyHandler = netlify.default as (request: Request, context: unknown) => Promise<Response>;
  const netlifyPath = (netlify.config as { path: string }).path;

  const platforms: LocalPlatform[] = [
    {
      name: "vercel",
      path: "/vercel/api/webhooks/commercelayer",
      bundle: "dist/vercel/commercelayer-webhook.mjs",
      async handle(request) {
        // Vercel calls the export named after the method and answers 405 itself when there is none.
        const method = vercelMethods[request.method.toUpperCase()];
        if (method === undefined) return { status: 405, headers: { allow: "POST" }, body: Buffer.alloc(0) };
        return fromWebResponse(await method(toWebRequest(request)));
      },
    },
    {
      name: "aws-lambda",
      path: "/aws-lambda/webhooks/commercelayer",
      bundle: "dist/aws-lambda/commercelayer-webhook.mjs",
      async handle(request) {
        const context = {
          awsRequestId: randomUUID(),
          functionName: "commercelayer-webhook",
          getRemainingTimeInMillis: () => 6000,
        };
        // As API Gateway's HTTP API builds it: lower-case names, repeated headers comma-joined, base64 unless text.
        const sent: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) {
          if (value !== undefined) sent[name] = Array.isArray(value) ? value.join(",") : value;
        }
        const base64 = httpApiEncodesAsBase64(sent["content-type"]) && request.body.length > 0;
        const event = lambdaEvent("http-api-v2", { method: request.method, headers: sent, body: request.body }, base64);
        const result = await lambdaHandler(event, context);
        const headers = Object.fromEntries(
          Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]),
        );
        const body = Buffer.from(result.body ?? "", result.isBase64Encoded ? "base64" : "utf8");
        return { status: result.statusCode ?? 200, headers, body };
      },
    },
    {
      name: "netlify",
      path: `/netlify${netlifyPath}`,
      bundle: "dist/netlify/commercelayer-webhook.mjs",
      async handle(request) {
        const context = { requestId: randomUUID(), ip: request.sourceIp, waitUntil: () => {}, site: { name: "local" } };
        return fromWebResponse(await netlifyHandler(toWebRequest(request), context));
      },
    },
    {
      name: "netlify-bg",
      internal: true,
      path: "/.netlify/functions/commercelayer-webhook-worker-background",
      bundle: "dist/netlify/commercelayer-webhook-worker-background.mjs",
      async handle(request) {
        // As Netlify does: 202 at once, the function runs afterwards; a throw is logged (Netlify would retry it).
        const context = { requestId: randomUUID(), ip: request.sourceIp, waitUntil: () => {}, site: { name: "local" } };
        netlifyWorkerHandler(toWebRequest(request), context).catch((error: Error) =>
          console.error(`netlify background function: ${error.message}`),
        );
        return { status: 202, headers: {}, body: Buffer.alloc(0) };
      },
    },
  ];
  return { platforms, stop: () => queue.stop() };
}
