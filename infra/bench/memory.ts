// `npm run bench:memory`: how much memory one delivery at the body limit costs on each platform entry point, measured
// with the deployable bundles in a fresh Node process per run.
//
//   allocated  V8 heap plus memory outside it (Buffers, ArrayBuffers) from just before to just after the delivery, with
//              a young generation large enough that no garbage collection runs in between (the `GCs` column says so):
//              everything the delivery allocated, garbage included, so an upper bound of its peak
//   buffers    the part of `allocated` outside the heap (copies of the body)
//   retained   what is still held after a full garbage collection (nothing should be)
//
// The request object (Web Request, Lambda event, Node stream) is built before the baseline: it is what the platform
// hands over, not what the receiver spends.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { GCProfiler } from "node:v8";
import { signPayload } from "../../shared/node/signature.ts";
import { lambdaEvent } from "../drive/lambda-events.ts";
import { buildSampleDelivery } from "../samples/build.ts";
import { BENCH_ROOT, buildBenchBundles } from "./bench-build.ts";
import { writeBenchmarksSection } from "./benchmarks-file.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SECRET = "memory-bench-secret-1b7e";
const MiB = 1024 * 1024;

export const MEMORY_ENTRIES = [
  "vercel",
  "vercel-node",
  "netlify",
  "netlify-legacy",
  "lambda-v2",
  "lambda-rest",
] as const;
export type MemoryEntry = (typeof MEMORY_ENTRIES)[number];

export interface MemoryResult {
  readonly entry: MemoryEntry;
  readonly bodyBytes: number;
  readonly status: number;
  readonly allocatedBytes: number;
  readonly bufferBytes: number;
  readonly retainedBytes: number;
  /** Garbage collections that ran while the delivery was handled: with any, `allocated` is only a lower bound. */
  readonly gcs: number;
}

/**
 * An orders.place of exactly `bytes` bytes, the way a big real one grows: thousands of included line items (with their
 * non-ASCII names), padded with trailing whitespace to the byte.
 */
export function bodyOfSize(bytes: number): Buffer {
  const sample = JSON.parse(buildSampleDelivery("orders.place", { seed: 7 }).body) as {
    data: unknown;
    included: { type: string; id: string }[];
  };
  const item = JSON.stringify(sample.included.find((resource) => resource.type === "line_items"));
  const prefix = `{"data":${JSON.stringify(sample.data)},"included":[`;
  const items: string[] = [];
  const itemBytes = Buffer.byteLength(item);
  let size = Buffer.byteLength(prefix) + 2;
  for (let i = 0; size + itemBytes + 1 < bytes; i++) {
    // Same length as the original id, so every copy has the same size.
    items.push(item.replace(/"id":"(\w+)"/, (_match, id: string) => `"id":"${String(i).padStart(id.length, "0")}"`));
    size += itemBytes + 1;
  }
  const text = `${prefix}${items.join(",")}]}`;
  const body = Buffer.alloc(bytes, 0x20);
  if (body.write(text, "utf8") !== Buffer.byteLength(text))
    throw new Error(`${bytes} bytes is too small for a delivery`);
  return body;
}

type Run = () => Promise<number>;

/** Where the measured bundles are (`<it>dist/...`): the benchmarks' own build, or another one (the suites' fixtures). */
let bundleRoot = BENCH_ROOT;

async function importDist(path: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(join(bundleRoot, path)).href)) as Record<string, unknown>;
}

/** A closure that hands `body` to `entry` the way its platform does, prepared up front; resolves with the status. */
async function prepare(entry: MemoryEntry, body: Buffer): Promise<Run> {
  const headers = {
    "content-type": "application/json",
    "x-commercelayer-topic": "orders.place",
    "x-commercelayer-signature": signPayload(body, SECRET),
  };
  const url = "https://example.app/api/webhooks/commercelayer";
  switch (entry) {
    case "vercel":
    case "netlify": {
      const bundle = await importDist(
        entry === "vercel" ? "dist/vercel/commercelayer-webhook.mjs" : "dist/netlify/commercelayer-webhook.mjs",
      );
      const handler = (entry === "vercel" ? bundle.POST : bundle.default) as (
        r: Request,
        c?: unknown,
      ) => Promise<Response>;
      // The body streamed in 64 KiB chunks, as a platform hands over what the network delivered. A Request made from
      // one Uint8Array would measure Node's own handling of that source: Node 24 copies it once more when it is read.
      const chunks: Uint8Array[] = [];
      for (let offset = 0; offset < body.length; offset += 64 * 1024)
        chunks.push(new Uint8Array(body.subarray(offset, offset + 64 * 1024)));
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          const chunk = chunks.shift();
          if (chunk === undefined) controller.close();
          else controller.enqueue(chunk);
        },
      });
      const request = new Request(url, {
        method: "POST",
        headers: { ...headers, "content-length": String(body.length) },
        body: stream,
        duplex: "half",
      } as RequestInit);
      return async () => (await handler(request, {})).status;
    }
    case "vercel-node": {
      const bundle = await importDist("dist/vercel/commercelayer-webhook-node.mjs");
      const handler = bundle.default as (req: unknown, res: unknown) => Promise<void>;
      const chunks: Buffer[] = [];
      for (let offset = 0; offset < body.length; offset += 64 * 1024)
        chunks.push(body.subarray(offset, offset + 65536));
      const req = Object.assign(Readable.from(chunks, { objectMode: false }), { method: "POST", headers });
      const res = { statusCode: 0, setHeader() {}, end() {}, once() {} };
      return async () => {
        await handler(req, res);
        return res.statusCode;
      };
    }
    case "netlify-legacy":
    case "lambda-v2":
    case "lambda-rest": {
      const bundle = await importDist(
        entry === "netlify-legacy"
          ? "dist/netlify/commercelayer-webhook-legacy.mjs"
          : "dist/aws-lambda/commercelayer-webhook.mjs",
      );
      const handler = bundle.handler as (event: unknown) => Promise<{ statusCode: number }>;
      const base64 = entry !== "lambda-rest";
      const event = lambdaEvent(
        entry === "lambda-v2" ? "http-api-v2" : "rest-v1",
        { method: "POST", headers, body },
        base64,
      );
      return async () => (await handler(event)).statusCode;
    }
  }
}

async function child(entry: MemoryEntry, bytes: number, root: string): Promise<MemoryResult> {
  bundleRoot = root;
  process.env.COMMERCELAYER_WEBHOOK_SECRET = SECRET;
  console.log = () => {};
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with node --expose-gc");
  // Warm up on a small body (code paths compiled, bundle loaded), then build the real request.
  await (await prepare(entry, bodyOfSize(40_000)))();
  const body = bodyOfSize(bytes);
  const run = await prepare(entry, body);
  // GCProfiler reports the collections of its window when stopped, synchronously: a PerformanceObserver's entries
  // arrive later, and on a loaded machine may not have arrived when counted.
  const profiler = new GCProfiler();
  gc();
  gc();
  const before = process.memoryUsage();
  profiler.start();
  const status = await run();
  const after = process.memoryUsage();
  const gcs = profiler.stop()?.statistics.length ?? 0;
  gc();
  gc();
  const settled = process.memoryUsage();
  const outside = (usage: NodeJS.MemoryUsage) => usage.external; // includes arrayBuffers
  return {
    entry,
    bodyBytes: body.length,
    status,
    allocatedBytes: after.heapUsed - before.heapUsed + outside(after) - outside(before),
    bufferBytes: outside(after) - outside(before),
    retainedBytes: Math.max(0, settled.heapUsed - before.heapUsed + outside(settled) - outside(before)),
    gcs,
  };
}

/**
 * Measures one entry point in a fresh process, with the bundles under `root` (`<root>/dist/...`): by default those
 * `npm run bench:memory` builds from infra/bench/bench-handlers.ts.
 */
export async function measureMemory(
  entry: MemoryEntry,
  bytes: number,
  root: string = BENCH_ROOT,
): Promise<MemoryResult> {
  // Memory freed inside the window can only lower the figure, never raise it, so the largest of CLEAN_RUNS runs
  // without a collection is the one kept. A collection in the window makes a run a lower bound: V8 sizes the old
  // generation (where bodies of this size land) from how fast its last collections ran, so on a loaded machine one can
  // start mid-delivery now and then, and such a run is measured again, up to MEASURE_ATTEMPTS runs in all. A receiver
  // that allocated far more would collect on every attempt: then the last run is returned, with its count for the
  // caller to see.
  let kept: MemoryResult | undefined;
  let last: MemoryResult | undefined;
  let clean = 0;
  for (let attempt = 1; attempt <= MEASURE_ATTEMPTS && clean < CLEAN_RUNS; attempt++) {
    last = await measureOnce(entry, bytes, root);
    if (last.gcs > 0) continue;
    clean++;
    if (kept === undefined || last.allocatedBytes > kept.allocatedBytes) kept = last;
  }
  return kept ?? (last as MemoryResult);
}

const CLEAN_RUNS = 2;
const MEASURE_ATTEMPTS = 4;

async function measureOnce(entry: MemoryEntry, bytes: number, root: string): Promise<MemoryResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      "--expose-gc",
      // A young generation big enough that nothing is collected while the delivery runs (see `gcs`).
      "--max-semi-space-size=256",
      // No collector thread finishing its work (and freeing memory) inside the window.
      "--single-threaded-gc",
      "--import",
      "tsx",
      fileURLToPath(import.meta.url),
      "--child",
      entry,
      String(bytes),
      root,
    ],
    { cwd: ROOT, maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as MemoryResult;
}

const mb = (bytes: number) => (bytes / MiB).toFixed(1);

export function formatMemoryTable(results: readonly MemoryResult[]): string {
  const rows = results.map((result) =>
    [
      result.entry,
      mb(result.bodyBytes),
      result.status,
      mb(result.allocatedBytes),
      `${(result.allocatedBytes / result.bodyBytes).toFixed(1)}×`,
      mb(result.bufferBytes),
      mb(result.retainedBytes),
      result.gcs,
    ].join(" | "),
  );
  return [
    "| entry point | body MiB | status | allocated MiB | allocated / body | of which buffers MiB | retained MiB | GCs |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map((row) => `| ${row} |`),
  ].join("\n");
}

export const MEMORY_HEADING = "## Memory: one delivery at the body limit";

function memorySection(results: readonly MemoryResult[]): string {
  return `Run: \`npm run bench:memory -- --write\` (infra/bench/memory.ts), Node ${process.version}. One signed orders.place of
exactly 5 MiB (the default \`COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES\`; thousands of included line items with non-ASCII
names), handed to each deployable bundle in its platform's shape, in a fresh process per run (the larger of two runs
is kept). *Allocated* is V8 heap plus Buffer memory from just before to just after the delivery, with a young
generation large enough that no garbage collection runs in between (GCs = 0): everything the delivery allocated,
garbage included, so an upper bound of its peak. *Retained* is what is still held after a full collection.

${formatMemoryTable(results)}

Where it goes, for a body of size B: one copy of the bytes (B; the Lambda body decoded from base64, the Node stream's
chunks joined, \`arrayBuffer()\`, where undici makes a second copy on Web Requests), the text \`JSON.parse\` needs (2 B:
V8 keeps a string with any character outside Latin-1 as UTF-16; B for plain ASCII), and the parsed document (about
1.2 B here). All of it is garbage once the delivery is answered. The same figures per byte at 1 MiB
(\`BODY_BYTES=1048576\`) show it is proportional; test/bundles/hostile/memory.test.ts checks both (under 6 B, same per-byte
cost within 25 %, nothing retained). A body over the limit is refused before any of this: see SECURITY.md.`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args[0] === "--child") {
    const result = await child(args[1] as MemoryEntry, Number(args[2]), args[3] ?? BENCH_ROOT);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    const bytes = Number(process.env.BODY_BYTES ?? 5 * MiB);
    const write = args.includes("--write");
    const results: MemoryResult[] = [];
    await buildBenchBundles();
    for (const entry of MEMORY_ENTRIES) results.push(await measureMemory(entry, bytes));
    const limit = bytes === 5 * MiB ? " (the default limit)" : "";
    console.log(
      `One delivery of ${mb(bytes)} MiB${limit} per entry point, deployable bundles, Node ${process.version}:\n`,
    );
    console.log(formatMemoryTable(results));
    if (write) {
      if (bytes !== 5 * MiB) throw new Error("--write records the default limit: leave BODY_BYTES unset");
      writeBenchmarksSection(MEMORY_HEADING, memorySection(results));
      console.log("\nwrote the memory section of BENCHMARKS.md");
    }
  }
}
