// Deferred handlers on Vercel, run after the response inside `waitUntil` (dist/factories/vercel/commercelayer-webhook-queue.mjs,
// with @vercel/functions as the project installs it). Best effort: the 200 is sent before the work runs, so a failure
// there is only logged and Commerce Layer never retries it.
import { afterEach, describe, expect, it, vi } from "vitest";
import type * as Factory from "../../../functions/factories/vercel/commercelayer-webhook-factory.ts";
import type * as Queue from "../../../functions/factories/vercel/commercelayer-webhook-queue.ts";
import type { DeliveryLogEntry } from "../../../shared/core/log.ts";
import { importBundle } from "../../support/bundles.ts";
import { signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";

const { createVercelWebhookWorker, createWaitUntilHandOff, deferred, toQueuedDelivery, withHandOff } =
  await importBundle<typeof Queue>("dist/factories/vercel/commercelayer-webhook-queue.mjs");
const { createVercelWebhookHandler } = await importBundle<typeof Factory>(
  "dist/factories/vercel/commercelayer-webhook-factory.mjs",
);

type Handlers = Parameters<typeof createVercelWebhookHandler>[0];
type Options = NonNullable<Parameters<typeof createWaitUntilHandOff>[1]>;
/** The receiving function as the queue file's header comment composes it. */
const createVercelWaitUntilHandler = (handlers: Handlers, options: Options = {}) => {
  const { waitUntil: _keepAlive, ...receiverOptions } = options;
  return createVercelWebhookHandler(withHandOff(handlers, createWaitUntilHandOff(handlers, options)), receiverOptions);
};

/** What Vercel's runtime installs: @vercel/functions finds the request's `waitUntil` through this global. */
const CONTEXT = Symbol.for("@vercel/request-context");
const kept: Promise<unknown>[] = [];
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[CONTEXT];
  kept.length = 0;
});
function onVercel(): void {
  (globalThis as Record<symbol, unknown>)[CONTEXT] = {
    get: () => ({ waitUntil: (p: Promise<unknown>) => kept.push(p) }),
  };
}

const post = (topic = "orders.place") => {
  const delivery = signedDelivery(topic);
  return {
    delivery,
    request: new Request("https://example.vercel.app/api/webhooks/commercelayer", {
      method: "POST",
      headers: delivery.headers,
      body: new Uint8Array(delivery.body),
    }),
  };
};

describe("createVercelWaitUntilHandler (bundle)", () => {
  it("answers 200 before the deferred handler finishes, which then runs with the exact body (awaited via waitUntil)", async () => {
    onVercel();
    const lines: DeliveryLogEntry[] = [];
    const seen: string[] = [];
    const quick = vi.fn();
    const POST = createVercelWaitUntilHandler(
      {
        "orders.place": [
          quick,
          deferred(async (event) => {
            await new Promise((resolve) => setTimeout(resolve, 1500));
            seen.push(event.id);
          }),
        ],
      },
      { secrets: [TEST_SECRET], log: (entry) => lines.push(entry) },
    );
    const { request, delivery } = post();
    const response = await POST(request);
    expect(response.status).toBe(200);
    expect(quick).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([]);
    expect(kept).toHaveLength(1);
    await Promise.all(kept);
    expect(seen).toEqual([JSON.parse(delivery.body.toString("utf8")).data.id]);
    expect(lines.map((line) => [line.platform, line.outcome])).toEqual([
      ["vercel", "handled"],
      ["vercel-wait-until", "handled"],
    ]);
  });

  it("a failing deferred handler is logged, after the 200 was sent: Commerce Layer will not retry it", async () => {
    onVercel();
    const lines: DeliveryLogEntry[] = [];
    const POST = createVercelWaitUntilHandler(
      { "orders.place": deferred(() => Promise.reject(new Error("warehouse down"))) },
      { secrets: [TEST_SECRET], log: (entry) => lines.push(entry) },
    );
    const response = await POST(post().request);
    expect(response.status).toBe(200);
    await Promise.all(kept);
    expect(lines.find((line) => line.platform === "vercel")).toMatchObject({ outcome: "handled", status: 200 });
    const worker = lines.find((line) => line.platform === "vercel-wait-until");
    expect(worker).toMatchObject({
      platform: "vercel-wait-until",
      outcome: "failed",
      reason: "handler_failed",
      status: 500,
    });
    expect(String(worker?.errors)).toContain("warehouse down");
  });

  it("outside Vercel waitUntil does nothing, yet the deferred handler still runs in this process", async () => {
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const POST = createVercelWaitUntilHandler(
      { "orders.place": deferred(async () => done()) },
      { secrets: [TEST_SECRET], log: () => {} },
    );
    expect((await POST(post().request)).status).toBe(200);
    expect(kept).toHaveLength(0);
    await finished;
  });
});

describe("createVercelWebhookWorker (bundle): the consumer of a durable queue (Vercel Queues)", () => {
  const queued = (topic: string, signature?: string) => {
    const { delivery } = post(topic);
    const sent = delivery.headers["x-commercelayer-signature"] as string;
    return JSON.parse(JSON.stringify(toQueuedDelivery({ topic, body: delivery.body, signature: signature ?? sent })));
  };

  it("runs only the deferred handlers of a queued delivery, after verifying it again", async () => {
    const later = vi.fn();
    const direct = vi.fn();
    const lines: DeliveryLogEntry[] = [];
    const worker = createVercelWebhookWorker(
      { "orders.place": [direct, deferred(later)] },
      { secrets: [TEST_SECRET], log: (line) => void lines.push(line) },
    );
    await worker(queued("orders.place"));
    expect(later).toHaveBeenCalledTimes(1);
    expect(direct).not.toHaveBeenCalled();
    expect(lines).toMatchObject([{ platform: "vercel-queue-worker", topic: "orders.place", outcome: "handled" }]);
  });

  it("throws when a deferred handler fails, which is what makes the queue deliver the message again", async () => {
    const worker = createVercelWebhookWorker(
      { "orders.place": deferred(() => Promise.reject(new Error("downstream down"))) },
      { secrets: [TEST_SECRET], log: () => {} },
    );
    await expect(worker(queued("orders.place"))).rejects.toThrow(/handler_failed; the queue retries it/);
  });

  it("drops, with a log line, a message that is forged or not a queued delivery: retrying would not change it", async () => {
    const run = vi.fn();
    const lines: DeliveryLogEntry[] = [];
    const worker = createVercelWebhookWorker(
      { "orders.place": deferred(run) },
      { secrets: [TEST_SECRET], log: (line) => void lines.push(line) },
    );
    await worker(queued("orders.place", "forged"));
    await worker({ hello: "world" });
    expect(run).not.toHaveBeenCalled();
    expect(lines.map((line) => line.reason)).toEqual(["invalid_signature", "not_a_queued_delivery"]);
  });
});
