// Deferred handlers: the receiving side hands the delivery off once and runs only direct handlers; the worker side
// verifies the handed-off delivery again and runs only the deferred handlers, through the same routing.
import { describe, expect, it, vi } from "vitest";
import { deferred, deferredOnly, fromQueuedDelivery, toQueuedDelivery, withHandOff } from "../../shared/deferred.ts";
import type { SignedDelivery } from "../../shared/event.ts";
import { createWebhookReceiver } from "../../shared/receiver.ts";
import { signedDelivery, TEST_SECRET } from "../support/deliveries.ts";

const post = (delivery: { body: Buffer; headers: Record<string, string> }) => ({
  method: "POST",
  headers: delivery.headers,
  body: delivery.body,
});

describe("deferred handlers", () => {
  it("hand the exact delivery off once, run direct handlers inline, and the worker runs the deferred ones", async () => {
    const slow = vi.fn<() => void>();
    const quick = vi.fn<() => void>();
    const handlers = { "orders.place": [deferred(slow), deferred(slow), quick], "orders.*": deferred(slow) };
    const queue: SignedDelivery[] = [];
    const receive = createWebhookReceiver(
      withHandOff(handlers, async (delivery) => void queue.push(delivery)),
      { secrets: [TEST_SECRET], log: () => {} },
    );
    const delivery = signedDelivery("orders.place");
    expect((await receive(post(delivery))).status).toBe(200);
    expect(quick).toHaveBeenCalledTimes(1);
    expect(slow).not.toHaveBeenCalled();
    expect(queue).toHaveLength(1);
    expect(Buffer.from(queue[0]?.body as Uint8Array).equals(delivery.body)).toBe(true);

    const worker = createWebhookReceiver(deferredOnly(handlers), { secrets: [TEST_SECRET], log: () => {} });
    const message = JSON.parse(JSON.stringify(toQueuedDelivery(queue[0] as SignedDelivery)));
    expect((await worker(fromQueuedDelivery(message))).status).toBe(200);
    expect(slow).toHaveBeenCalledTimes(3);
    expect(quick).toHaveBeenCalledTimes(1);
  });

  it("answers 500 when the hand-off fails, so that Commerce Layer retries", async () => {
    const receive = createWebhookReceiver(
      withHandOff({ "orders.place": deferred(() => {}) }, () => Promise.reject(new Error("queue down"))),
      {
        secrets: [TEST_SECRET],
        log: () => {},
      },
    );
    expect((await receive(post(signedDelivery("orders.place")))).status).toBe(500);
  });

  it("the worker refuses a queued delivery whose body or signature was tampered with", async () => {
    const run = vi.fn<() => void>();
    const worker = createWebhookReceiver(deferredOnly({ "orders.place": deferred(run) }), {
      secrets: [TEST_SECRET],
      log: () => {},
    });
    const delivery = signedDelivery("orders.place");
    const message = toQueuedDelivery({ topic: "orders.place", body: delivery.body, signature: "forged" });
    expect((await worker(fromQueuedDelivery(message))).status).toBe(401);
    expect(run).not.toHaveBeenCalled();
  });

  it("a deferred handler run without a hand-off fails loudly instead of silently doing nothing", async () => {
    const receive = createWebhookReceiver(
      { "orders.place": deferred(() => {}) },
      { secrets: [TEST_SECRET], log: () => {} },
    );
    expect((await receive(post(signedDelivery("orders.place")))).status).toBe(500);
  });
});
