// The built bundles, each called through its own platform's shape, as the local receiver serves them.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import {
  type Answer,
  callEntry,
  ENTRY_POINTS,
  loadEntry,
  platformInput,
  type SentRequest,
} from "../drive/entry-points.ts";
import { type LocalQueue, startLocalQueue } from "./local-queue.ts";

export interface LocalRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
  readonly sourceIp: string;
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
  handle(request: LocalRequest): Promise<Answer>;
}

/** The request as the sender sent it (header values that arrived twice stay two). */
function sent(request: LocalRequest): SentRequest {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = value;
  return { method: request.method, url: request.url.href, headers, body: request.body };
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
  const folder = fileURLToPath(root);
  const lambda = await loadEntry(folder, "aws-lambda");
  const netlify = await loadEntry(folder, "netlify");
  const vercel = await importBundle(root, ENTRY_POINTS.vercel.bundle);
  const vercelPost = await loadEntry(folder, "vercel");
  const lambdaWorker = await importBundle(root, "dist/aws-lambda/commercelayer-webhook-worker.mjs");
  const netlifyWorker = await importBundle(root, "dist/netlify/commercelayer-webhook-worker-background.mjs");
  queue.poll(lambdaWorker.handler as (event: SQSEvent) => Promise<SQSBatchResponse>);
  const netlifyWorkerHandler = netlifyWorker.default as (...args: unknown[]) => Promise<unknown>;
  const netlifyPath = ((await importBundle(root, ENTRY_POINTS.netlify.bundle)).config as { path: string }).path;
  const netlifyContext = (request: LocalRequest) => ({
    requestId: randomUUID(),
    ip: request.sourceIp,
    waitUntil: () => {},
    site: { name: "local" },
  });

  const platforms: LocalPlatform[] = [
    {
      name: "vercel",
      path: "/vercel/api/webhooks/commercelayer",
      bundle: "dist/vercel/commercelayer-webhook.mjs",
      async handle(request) {
        // Vercel calls the export named after the method and answers 405 itself when there is none.
        if (typeof vercel[request.method.toUpperCase()] !== "function") {
          return { status: 405, headers: { allow: "POST" }, body: Buffer.alloc(0) };
        }
        return vercelPost(sent(request));
      },
    },
    {
      name: "aws-lambda",
      path: "/aws-lambda/webhooks/commercelayer",
      bundle: "dist/aws-lambda/commercelayer-webhook.mjs",
      handle: (request) =>
        lambda(sent(request), {
          awsRequestId: randomUUID(),
          functionName: "commercelayer-webhook",
          getRemainingTimeInMillis: () => 6000,
        }),
    },
    {
      name: "netlify",
      path: `/netlify${netlifyPath}`,
      bundle: "dist/netlify/commercelayer-webhook.mjs",
      handle: (request) => netlify(sent(request), netlifyContext(request)),
    },
    {
      name: "netlify-bg",
      internal: true,
      path: "/.netlify/functions/commercelayer-webhook-worker-background",
      bundle: "dist/netlify/commercelayer-webhook-worker-background.mjs",
      async handle(request) {
        // As Netlify does: 202 at once, the function runs afterwards; a throw is logged (Netlify would retry it).
        const input = platformInput("web", sent(request));
        callEntry(netlifyWorkerHandler, "web", input, netlifyContext(request)).catch((error: Error) =>
          console.error(`netlify background function: ${error.message}`),
        );
        return { status: 202, headers: {}, body: Buffer.alloc(0) };
      },
    },
  ];
  return { platforms, stop: () => queue.stop() };
}
