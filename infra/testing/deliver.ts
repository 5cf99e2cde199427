// A helper for testing your own handlers (functions/handlers.test.ts): signs a realistic sample delivery as Commerce
// Layer would and sends it, in this process, through the pipeline every bundle is built from: the Vercel function's
// (functions/vercel/commercelayer-webhook.ts) verification, routing, deferral and outcome, on Node's runtime, served as
// a Web Request. Your handlers file is imported by the test runner itself, so `vi.mock` of what it imports, spies and
// fake timers reach your handlers. It waits for the deferred handlers too (run after the answer, as Vercel's
// `waitUntil` runs them) and hands back the answer and every line printed meanwhile.
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import { signPayload } from "../../shared/node/signature.ts";
import { createWaitUntilHandOff } from "../../shared/node/vercel/wait-until-hand-off.ts";
import { serveWeb } from "../../shared/web/adapter.ts";
import { type HandlersFile, receivingSide, workerSide } from "../../shared/webhooks/handlers-file.ts";
import { buildSampleDelivery } from "../samples/build.ts";

export interface DeliverOptions {
  /** The body to send instead of a generated sample (a real delivery you saved, say). */
  readonly body?: string;
  /** Leave the included resources out of the sample. Default: included. */
  readonly includes?: boolean;
  /** Varies the sample's ids and numbers. */
  readonly seed?: number;
  /** The handlers file to deliver to (`import * as file from ...`). Default: functions/handlers.ts. */
  readonly file?: HandlersFile;
}

export interface Delivered {
  /** The HTTP status the receiver answered. */
  readonly status: number;
  /** The answer's JSON: `{ received: true, outcome }` or `{ error }`. */
  readonly answer: { readonly outcome?: string; readonly error?: string };
  /**
   * The receiver's own log lines (`msg: "commercelayer webhook"`): the receiving function's (`platform: "vercel"`) and,
   * for deferred handlers, the worker's (`platform: "vercel-wait-until"`). Their order is not fixed: both finish in
   * the same turn of the event loop, so tell them apart by `platform`.
   */
  readonly deliveryLines: readonly Record<string, unknown>[];
  /** Every other line printed meanwhile that is JSON: your handlers' own structured lines. */
  readonly handlerLines: readonly Record<string, unknown>[];
  /** Every line printed meanwhile (console.log, info, warn, error, debug), JSON or not, as text, in order. */
  readonly printed: readonly string[];
  /** The sample's `data`, to compare against. */
  readonly data: { readonly id: string; readonly attributes: Record<string, unknown> };
}

const SECRET = "handlers-test-secret";
const RECEIVER_MESSAGE = "commercelayer webhook";
const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug"] as const;

function parseLine(line: string): Record<string, unknown>[] {
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? [parsed as Record<string, unknown>]
      : [];
  } catch {
    return [];
  }
}

export async function deliverSample(topic: string, options: DeliverOptions = {}): Promise<Delivered> {
  // Imported here, by the test runner, so that the test's module mocks apply to it and to what it imports.
  const file: HandlersFile = options.file ?? (await import("../../functions/handlers.ts"));
  const text =
    options.body ?? buildSampleDelivery(topic, { includes: options.includes ?? true, seed: options.seed ?? 1 }).body;
  const body = Buffer.from(text, "utf8");
  const pending: Promise<unknown>[] = [];
  const worker = workerSide(file);
  const POST = serveWeb(
    receivingSide(NODE_RUNTIME, file, "vercel", () =>
      createWaitUntilHandOff(worker.handlers, { ...worker.options, waitUntil: (work) => void pending.push(work) }),
    ),
  );

  const printed: string[] = [];
  const previousSecret = process.env.COMMERCELAYER_WEBHOOK_SECRET;
  const previousConsole = CONSOLE_METHODS.map((method) => [method, console[method]] as const);
  process.env.COMMERCELAYER_WEBHOOK_SECRET = SECRET;
  for (const method of CONSOLE_METHODS) {
    console[method] = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
  }
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
    const lines = printed.flatMap(parseLine);
    return {
      status: response.status,
      answer,
      deliveryLines: lines.filter((line) => line.msg === RECEIVER_MESSAGE),
      handlerLines: lines.filter((line) => line.msg !== RECEIVER_MESSAGE),
      printed,
      data: (JSON.parse(text) as { data: Delivered["data"] }).data,
    };
  } finally {
    for (const [method, original] of previousConsole) console[method] = original;
    if (previousSecret === undefined) delete process.env.COMMERCELAYER_WEBHOOK_SECRET;
    else process.env.COMMERCELAYER_WEBHOOK_SECRET = previousSecret;
  }
}
