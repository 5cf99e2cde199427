// The in-runtime half of the edge benchmark: the edge factory against a floor on the same runtime, in alternating
// rounds, with nothing but Web APIs (it runs in edge-runtime's VM, workerd, Deno, Bun and Node alike). The floor is
// what any correct Web handler must do: read the body, verify the HMAC with Web Crypto (key imported once, as the
// factory caches it), decode and parse the JSON, answer a Response. Requests are built before the clock starts.
import type { createEdgeWebhookHandler } from "../../../functions/factories/edge/commercelayer-webhook-factory.ts";

/** A delivery as the host hands it over: the exact body as text (valid UTF-8) and the headers Commerce Layer sends. */
export interface EdgeBenchDelivery {
  readonly label: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface EdgeBenchInput {
  readonly secret: string;
  readonly deliveries: readonly EdgeBenchDelivery[];
  /** Rounds per delivery; each round times one batch of the floor and one of the factory, in alternating order. */
  readonly rounds: number;
  /** A batch lasts at least this long (calls per batch are calibrated on the floor), so a coarse clock stays precise. */
  readonly minBatchMs: number;
}

/** How a runtime's time is read: `mark()` is awaited at each end of a batch. */
export interface BenchClock {
  mark(): number | Promise<number>;
  /** A full collection before each batch, where the runtime exposes one. */
  gc?(): void;
}

export interface EdgeBenchRow {
  readonly delivery: string;
  readonly batch: number;
  readonly floorMicros: number;
  readonly factoryMicros: number;
  /** Median of the per-round ratios factory / floor. */
  readonly ratio: number;
  /** The middle half of the per-round ratios: how stable the figure is. */
  readonly ratioLow: number;
  readonly ratioHigh: number;
  /** Median time of an empty batch (two marks, no call), subtracted from every batch: about 0 for a synchronous clock. */
  readonly markOverheadMicros: number;
}

export interface EdgeBenchReport {
  readonly rounds: number;
  readonly rows: readonly EdgeBenchRow[];
}

type WebHandler = (request: Request) => Promise<Response>;
/** The factory's export, passed in: each runtime loads the built file its own way. */
export type CreateEdgeWebhookHandler = typeof createEdgeWebhookHandler;

const URL_SENT_TO = "https://example.com/webhooks/commercelayer";

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const lower = sorted[low] ?? 0;
  return lower + ((sorted[Math.ceil(position)] ?? lower) - lower) * (position - low);
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function signatureBytes(signature: string): Uint8Array<ArrayBuffer> {
  const binary = atob(signature);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

async function floorFor(secret: string): Promise<WebHandler> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  return async (request) => {
    const bytes = new Uint8Array(await request.arrayBuffer());
    const signature = signatureBytes(request.headers.get("x-commercelayer-signature") ?? "");
    if (!(await crypto.subtle.verify("HMAC", key, signature, bytes))) throw new Error("floor: bad signature");
    JSON.parse(new TextDecoder().decode(bytes));
    return new Response('{"received":true}', { status: 200, headers: { "content-type": "application/json" } });
  };
}

/** `count` Requests as the runtime would hand them over: a Content-Length, as Commerce Layer's deliveries carry. */
function requestsFor(delivery: EdgeBenchDelivery, bytes: Uint8Array<ArrayBuffer>, count: number): Request[] {
  const headers = { ...delivery.headers, "content-length": String(bytes.byteLength) };
  return Array.from({ length: count }, () => new Request(URL_SENT_TO, { method: "POST", headers, body: bytes }));
}

async function runAll(handler: WebHandler, requests: readonly Request[]): Promise<void> {
  for (const request of requests) {
    const response = await handler(request);
    if (response.status !== 200) throw new Error(`answered ${response.status}: ${await response.text()}`);
  }
}

export async function runEdgeBench(
  createEdgeWebhookHandler: CreateEdgeWebhookHandler,
  input: EdgeBenchInput,
  clock: BenchClock,
): Promise<EdgeBenchReport> {
  // The factory's own work, not a handler's: one no-op handler (customers.create is routed to none: `ignored`).
  const factory = createEdgeWebhookHandler({ "orders.place": () => {} }, { secrets: [input.secret] });
  const floor = await floorFor(input.secret);
  // The factory's line per delivery is built (JSON.stringify) but not written, as in the Node benchmark.
  const log = console.log;
  console.log = () => {};
  try {
    const timed = async (handler: WebHandler, requests: readonly Request[]) => {
      clock.gc?.();
      const started = await clock.mark();
      await runAll(handler, requests);
      return (await clock.mark()) - started;
    };
    const rows: EdgeBenchRow[] = [];
    for (const delivery of input.deliveries) {
      const bytes = new TextEncoder().encode(delivery.body);
      const make = (count: number) => requestsFor(delivery, bytes, count);
      await runAll(floor, make(400));
      await runAll(factory, make(400));
      const empty: number[] = [];
      for (let index = 0; index < 21; index++) empty.push(await timed(floor, []));
      const overhead = Math.max(0, quantile(empty, 0.5));
      const trial = 200;
      const trialMs = Math.max(await timed(floor, make(trial)), 1);
      const batch = Math.min(5000, Math.max(100, Math.ceil((input.minBatchMs / trialMs) * trial)));
      const floorTimes: number[] = [];
      const factoryTimes: number[] = [];
      for (let index = 0; index < input.rounds; index++) {
        // Alternating which goes first, so that neither always runs in the other's wake (GC debt, a warmer cache).
        const order = index % 2 === 0 ? ([floor, factory] as const) : ([factory, floor] as const);
        for (const handler of order) {
          const requests = make(batch);
          const perCall = ((await timed(handler, requests)) - overhead) / batch;
          (handler === floor ? floorTimes : factoryTimes).push(perCall);
        }
      }
      const ratios = factoryTimes.map((value, index) => value / (floorTimes[index] ?? value));
      rows.push({
        delivery: delivery.label,
        batch,
        floorMicros: round(quantile(floorTimes, 0.5) * 1000, 1),
        factoryMicros: round(quantile(factoryTimes, 0.5) * 1000, 1),
        ratio: round(quantile(ratios, 0.5), 2),
        ratioLow: round(quantile(ratios, 0.25), 2),
        ratioHigh: round(quantile(ratios, 0.75), 2),
        markOverheadMicros: round(overhead * 1000, 1),
      });
    }
    return { rounds: input.rounds, rows };
  } finally {
    console.log = log;
  }
}
