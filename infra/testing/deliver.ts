// A helper for testing your own handlers (functions/handlers.test.ts): signs a realistic sample delivery as Commerce
// Layer would, sends it through the Vercel bundle built from functions/handlers.ts (built first when the sources
// changed), waits for the deferred handlers too (run as Vercel runs them, after the answer), and hands back the
// answer and every JSON line the bundle and your handlers printed.
import { pathToFileURL } from "node:url";
import { signPayload } from "../../shared/node/signature.ts";
import { buildBundles, bundlesAreFresh, ROOT } from "../build/build.ts";
import { buildSampleDelivery } from "../samples/build.ts";

export interface DeliverOptions {
  /** The body to send instead of a generated sample (a real delivery you saved, say). */
  readonly body?: string;
  /** Leave the included resources out of the sample. Default: included. */
  readonly includes?: boolean;
  /** Varies the sample's ids and numbers. */
  readonly seed?: number;
}

export interface Delivered {
  /** The HTTP status the receiver answered. */
  readonly status: number;
  /** The answer's JSON: `{ received: true, outcome }` or `{ error }`. */
  readonly answer: { readonly outcome?: string; readonly error?: string };
  /** The receiver's own log lines (`msg: "commercelayer webhook"`), the worker's for deferred handlers included. */
  readonly deliveryLines: readonly Record<string, unknown>[];
  /** Every other JSON line printed meanwhile: your handlers' own. */
  readonly handlerLines: readonly Record<string, unknown>[];
  /** The sample's `data`, to compare against. */
  readonly data: { readonly id: string; readonly attributes: Record<string, unknown> };
}

const SECRET = "handlers-test-secret";
/** What Vercel's runtime installs; @vercel/functions' waitUntil finds the request's context through it. */
const VERCEL_CONTEXT = Symbol.for("@vercel/request-context");

let bundle: Promise<(request: Request) => Promise<Response>> | undefined;

async function loadBundle(): Promise<(request: Request) => Promise<Response>> {
  if (!bundlesAreFresh()) await buildBundles({ declarations: false });
  const module = (await import(pathToFileURL(`${ROOT}/dist/vercel/commercelayer-webhook.mjs`).href)) as {
    POST: (request: Request) => Promise<Response>;
  };
  return module.POST;
}

export async function deliverSample(topic: string, options: DeliverOptions = {}): Promise<Delivered> {
  bundle ??= loadBundle();
  const POST = await bundle;
  const text =
    options.body ?? buildSampleDelivery(topic, { includes: options.includes ?? true, seed: options.seed ?? 1 }).body;
  const body = Buffer.from(text, "utf8");
  const pending: Promise<unknown>[] = [];
  const printed: string[] = [];
  const previous = { secret: process.env.COMMERCELAYER_WEBHOOK_SECRET, log: console.log };
  const globals = globalThis as Record<symbol, unknown>;
  process.env.COMMERCELAYER_WEBHOOK_SECRET = SECRET;
  globals[VERCEL_CONTEXT] = { get: () => ({ waitUntil: (promise: Promise<unknown>) => pending.push(promise) }) };
  console.log = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
  try {
    const response = await POST(
      new Request("http://localhost/api/webhooks/commercelayer", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-commercelayer-topic": topic,
          "x-commercelayer-signature": signPayload(body, SECRET),
        },
        body,
      }),
    );
    const answer = (await response.json()) as Delivered["answer"];
    await Promise.all(pending);
    const lines = printed.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    return {
      status: response.status,
      answer,
      deliveryLines: lines.filter((line) => line.msg === "commercelayer webhook"),
      handlerLines: lines.filter((line) => line.msg !== "commercelayer webhook"),
      data: (JSON.parse(text) as { data: Delivered["data"] }).data,
    };
  } finally {
    console.log = previous.log;
    delete globals[VERCEL_CONTEXT];
    if (previous.secret === undefined) delete process.env.COMMERCELAYER_WEBHOOK_SECRET;
    else process.env.COMMERCELAYER_WEBHOOK_SECRET = previous.secret;
  }
}
