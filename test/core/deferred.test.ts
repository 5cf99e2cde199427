// Deferred handlers: the receiving side hands the delivery off once and runs only direct handlers; the worker side
// verifies the handed-off delivery again and runs only the deferred handlers, through the same routing.
import { describe, expect, it, vi } from "vitest";
import { fromQueuedDelivery, toQueuedDelivery } from "../../shared/node/queued-delivery.ts";
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import { deferred, deferredOnly, withHandOff } from "../../shared/webhooks/deferred.ts";
import type { SignedDelivery } from "../../shared/webhooks/event.ts";
import { createDeferredWorker } from "../../shared/webhooks/worker.ts";
import { signedDelivery, TEST_SECRET } from "../support/deliveries.ts";
import { httpReceiver as createWebhookReceiver } from "../support/receiver.ts";

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

    const worker = createDeferredWorker(NODE_RUNTIME, handlers, { secrets: [TEST_SECRET], log: () => {} });
    const message = fromQueuedDelivery(JSON.parse(JSON.stringify(toQueuedDelivery(queue[0] as SignedDelivery))));
    expect(message).toBeDefined();
    expect(await worker.receive(message as SignedDelivery)).toMatchObject({
      outcome: "handled",
      topic: "orders.place",
    });
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
    const worker = createDeferredWorker(
      NODE_RUNTIME,
      { "orders.place": deferred(run) },
      { secrets: [TEST_SECRET], log: () => {} },
    );
    const delivery = signedDelivery("orders.place");
    const message = toQueuedDelivery({ topic: "orders.place", body: delivery.body, signature: "forged" });
    const forged = fromQueuedDelivery(message) as SignedDelivery;
    expect(await worker.receive(forged)).toMatchObject({ outcome: "rejected", reason: "invalid_signature" });
    const altered = fromQueuedDelivery({
      ...toQueuedDelivery({ ...forged, signature: delivery.headers["x-commercelayer-signature"] as string }),
      body: Buffer.from(`${delivery.body} `).toString("base64"),
    }) as SignedDelivery;
    expect(await worker.receive(altered)).toMatchObject({ outcome: "rejected", reason: "invalid_signature" });
    expect(run).not.toHaveBeenCalled();
  });

  it("the worker runs only the deferred handlers, and reads messages that carry text bodies", async () => {
    const direct = vi.fn<() => void>();
    const later = vi.fn<() => void>();
    const worker = createDeferredWorker(
      NODE_RUNTIME,
      { "orders.place": [direct, deferred(later)] },
      { secrets: [TEST_SECRET], log: () => {} },
    );
    const delivery = signedDelivery("orders.place");
    const text = fromQueuedDelivery({
      topic: "orders.place",
      signature: delivery.headers["x-commercelayer-signature"],
      body: delivery.body.toString("utf8"),
      encoding: "utf8",
    });
    expect(await worker.receive(text as SignedDelivery)).toMatchObject({ outcome: "handled" });
    expect(later).toHaveBeenCalledTimes(1);
    expect(direct).not.toHaveBeenCalled();
    expect(fromQueuedDelivery({ topic: "orders.place", body: "x" })).toBeUndefined();
    expect(fromQueuedDelivery("not an object")).toBeUndefined();
  });

  it("a map with a deferred handler and no hand-off is refused when the receiver is created, naming the topic", () => {
    expect(() => createWebhookReceiver({ "orders.place": deferred(() => {}) }, { secrets: [TEST_SECRET] })).toThrow(
      /orders\.place: deferred handler without withHandOff/,
    );
    expect(() => createWebhookReceiver(deferredOnly({ "orders.place": deferred(() => {}) }))).not.toThrow();
  });
});
