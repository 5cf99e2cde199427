// The built bundles, each called through its own platform's shape, as the local receiver serves them. A rebuild
// (`npm start` watching the sources) swaps in the new bundles behind the same platforms, queue and poller.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import {
  type Answer,
  callEntry,
  ENTRY_POINTS,
  type EntryName,
  platformInput,
  readAnswer,
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
  /** For an internal one that runs deferred handlers: the platform whose deliveries it runs them for. */
  readonly deferredOf?: string;
  /** The path it is served at on the local receiver (read at each request: a rebuild may move Netlify's). */
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

type AnyExport = (...args: unknown[]) => Promise<unknown>;

/** One build's modules, ready to take requests. */
interface LoadedBuild {
  readonly vercel: Record<string, unknown>;
  readonly vercelPost: (request: SentRequest) => Promise<Answer>;
  readonly lambda: (request: SentRequest, context: unknown) => Promise<Answer>;
  readonly netlify: (request: SentRequest, context: unknown) => Promise<Answer>;
  readonly netlifyPath: string;
  readonly lambdaWorker: (event: SQSEvent) => Promise<SQSBatchResponse>;
  readonly netlifyWorker: AnyExport;
}

/**
 * ESM modules are cached by URL for the life of the process: each build after the first is imported under a query of
 * its own, so that a rebuild written over the same files is evaluated again. (The old modules stay in memory: a few
 * hundred KB per rebuild, which a development session can afford.)
 */
let generation = 0;

async function loadBuild(root: URL): Promise<LoadedBuild> {
  const query = generation === 0 ? "" : `?build=${generation}`;
  generation += 1;
  const folder = fileURLToPath(root);
  const importBundle = async (bundle: string) =>
    (await import(`${pathToFileURL(`${folder.replace(/\/$/, "")}/${bundle}`).href}${query}`)) as Record<
      string,
      unknown
    >;
  // As infra/drive/entry-points.ts's loadEntry, from the module imported under this build's URL.
  const entry = async (name: EntryName) => {
    const { bundle, exportName, shape } = ENTRY_POINTS[name];
    const exported = (await importBundle(bundle))[exportName];
    if (typeof exported !== "function") throw new Error(`${bundle} does not export ${exportName}`);
    return async (request: SentRequest, context?: unknown): Promise<Answer> => {
      const input = platformInput(shape, request);
      return readAnswer(shape, input, await callEntry(exported as AnyExport, shape, input, context));
    };
  };
  const netlifyModule = await importBundle(ENTRY_POINTS.netlify.bundle);
  return {
    vercel: await importBundle(ENTRY_POINTS.vercel.bundle),
    vercelPost: await entry("vercel"),
    lambda: await entry("aws-lambda"),
    netlify: await entry("netlify"),
    netlifyPath: (netlifyModule.config as { path: string }).path,
    lambdaWorker: (await importBundle("dist/aws-lambda/commercelayer-webhook-worker.mjs")).handler as (
      event: SQSEvent,
    ) => Promise<SQSBatchResponse>,
    netlifyWorker: (await importBundle("dist/netlify/commercelayer-webhook-worker-background.mjs"))
      .default as AnyExport,
  };
}

/** A deferred run about to start away from its delivery's request: which platform's, and the signature it carries. */
export interface DeferredRun {
  readonly platform: string;
  readonly signature: string | undefined;
}

export interface LocalPlatformsOptions {
  /**
   * Runs each deferred run from the local SQS queue (the local console gives it the log context of the delivery it
   * belongs to). Default: runs it as it is.
   */
  readonly aroundDeferred?: <T>(run: DeferredRun, work: () => Promise<T>) => Promise<T>;
}

/** The signature a queued delivery carries (shared/node/queued-delivery.ts), or undefined for any other message. */
function queuedSignature(body: string): string | undefined {
  try {
    const { signature } = JSON.parse(body) as { signature?: unknown };
    return typeof signature === "string" ? signature : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Hands the worker each record of a batch in an SQS event of its own, all at once (as the worker runs a batch's
 * records concurrently), and answers for the batch: so that each record's run, and the lines it logs, can be told
 * apart and attributed to its delivery. Locally this is the event source's batchSize 1.
 */
async function eachRecordApart(
  event: SQSEvent,
  worker: (event: SQSEvent) => Promise<SQSBatchResponse>,
  around: NonNullable<LocalPlatformsOptions["aroundDeferred"]>,
): Promise<SQSBatchResponse> {
  const answers = await Promise.all(
    event.Records.map((record) =>
      around({ platform: "aws-lambda", signature: queuedSignature(record.body) }, () => worker({ Records: [record] })),
    ),
  );
  return { batchItemFailures: answers.flatMap((answer) => answer.batchItemFailures) };
}

export interface LocalPlatforms {
  readonly platforms: LocalPlatform[];
  /**
   * Serves the bundles now in `root`'s dist/ (imported afresh) from the next request on. If they do not load, it
   * throws and the build served so far stays.
   */
  reload(root: URL): Promise<void>;
  /** Stops what serves the deferred handlers (the local queue and its poller). */
  stop(): Promise<void>;
}

/**
 * Each platform's default deployment, deferred handlers included: the Vercel bundle runs them in-process after the
 * answer (waitUntil), the Lambda bundle sends them to a local SQS queue whose poller runs the worker bundle, and the
 * Netlify bundle POSTs them to its background function, served here at Netlify's path for it. One queue and one
 * poller for the life of the receiver: the poller hands each batch, one record per event (eachRecordApart), to the
 * worker of the build served at the time.
 */
export async function loadLocalPlatforms(root: URL, options: LocalPlatformsOptions = {}): Promise<LocalPlatforms> {
  const queue: LocalQueue = await startLocalQueue();
  Object.assign(process.env, queue.env, { COMMERCELAYER_WEBHOOK_QUEUE_URL: queue.queueUrl });
  let current: LoadedBuild;
  try {
    current = await loadBuild(root);
  } catch (error) {
    await queue.stop();
    throw error;
  }
  const aroundDeferred = options.aroundDeferred ?? ((_run, work) => work());
  queue.poll((event) => eachRecordApart(event, (single) => current.lambdaWorker(single), aroundDeferred));
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
        if (typeof current.vercel[request.method.toUpperCase()] !== "function") {
          return { status: 405, headers: { allow: "POST" }, body: Buffer.alloc(0) };
        }
        return current.vercelPost(sent(request));
      },
    },
    {
      name: "aws-lambda",
      path: "/aws-lambda/webhooks/commercelayer",
      bundle: "dist/aws-lambda/commercelayer-webhook.mjs",
      handle: (request) =>
        current.lambda(sent(request), {
          awsRequestId: randomUUID(),
          functionName: "commercelayer-webhook",
          getRemainingTimeInMillis: () => 6000,
        }),
    },
    {
      name: "netlify",
      get path() {
        return `/netlify${current.netlifyPath}`;
      },
      bundle: "dist/netlify/commercelayer-webhook.mjs",
      handle: (request) => current.netlify(sent(request), netlifyContext(request)),
    },
    {
      name: "netlify-bg",
      internal: true,
      deferredOf: "netlify",
      path: "/.netlify/functions/commercelayer-webhook-worker-background",
      bundle: "dist/netlify/commercelayer-webhook-worker-background.mjs",
      async handle(request) {
        // As Netlify does: 202 at once, the function runs afterwards; a throw is logged (Netlify would retry it).
        const input = platformInput("web", sent(request));
        callEntry(current.netlifyWorker, "web", input, netlifyContext(request)).catch((error: Error) =>
          console.error(`netlify background function: ${error.message}`),
        );
        return { status: 202, headers: {}, body: Buffer.alloc(0) };
      },
    },
  ];
  return {
    platforms,
    async reload(next) {
      current = await loadBuild(next);
    },
    stop: () => queue.stop(),
  };
}
