// Deliveries as Commerce Layer makes them, received by a local HTTP server: signed over the exact bytes with the
// webhook's own secret, includes resolved, the circuit breaker at 30 failures in a row, timeouts and refused
// connections as failures, retries of the same bytes, and `_trigger` firing an event again to every webhook of its
// topic. Webhooks are created and triggers sent through the real SDK.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { beforeEach, describe, expect, it } from "vitest";
import type { CommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import { type Client, type Receiver, useStandInWithReceiver } from "./clients.ts";

const TOPICS = ["orders.place", "orders.cancel", "orders.destroy", "customers.create"];
const RELATIONSHIPS = {
  orders: { customer: "customers", line_items: "line_items" },
  line_items: { item: "skus", order: "orders" },
};
const TIMEOUT_MS = 300;

let standIn: CommerceLayerStandIn;
let sdk: Client;
let receiver: Receiver;

useStandInWithReceiver(
  { topics: TOPICS, resourceRelationships: RELATIONSHIPS, deliveryTimeoutMs: TIMEOUT_MS },
  (started) => {
    ({ standIn, sdk, receiver } = started);
  },
);
beforeEach(() => {
  standIn.reset();
  receiver.received.length = 0;
  receiver.answerWith(200);
});

function verifies(secret: string, body: Buffer, signature: unknown): boolean {
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(String(signature), "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const parsed = (body: Buffer) => JSON.parse(body.toString("utf8"));

describe("a delivery", () => {
  it("is a POST of the resource, signed over its exact bytes with the webhook's secret", async () => {
    const webhook = await sdk.webhooks.create({ topic: "orders.place", callback_url: `${receiver.url}/orders` });
    const { shared_secret: secret } = await sdk.webhooks.retrieve(webhook.id);

    const result = await standIn.emit("orders.place", {
      id: "ordPlaced1",
      attributes: { status: "placed", number: "1001" },
    });

    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery?.method).toBe("POST");
    expect(delivery?.path).toBe("/orders");
    expect(delivery?.headers["content-type"]).toBe("application/json");
    expect(delivery?.headers["x-commercelayer-topic"]).toBe("orders.place");
    expect(verifies(secret, delivery?.body as Buffer, delivery?.headers["x-commercelayer-signature"])).toBe(true);
    const document = parsed(delivery?.body as Buffer);
    expect(document).toEqual({
      data: expect.objectContaining({
        id: "ordPlaced1",
        type: "orders",
        attributes: expect.objectContaining({ status: "placed", number: "1001" }),
        meta: { mode: "test", organization_id: standIn.organization.id },
      }),
    });
    expect(result.attempts).toEqual([
      expect.objectContaining({
        webhookId: webhook.id,
        ok: true,
        responseCode: "200",
        body: delivery?.body.toString(),
      }),
    ]);
    expect(standIn.eventCallbacks()).toEqual([
      expect.objectContaining({
        webhook_id: webhook.id,
        response_code: "200",
        payload: document,
        callback_url: `${receiver.url}/orders`,
      }),
    ]);
  });

  it("goes to every enabled webhook of the topic, each signed with its own secret, and to no other", async () => {
    const first = await sdk.webhooks.create({ topic: "orders.place", callback_url: `${receiver.url}/a` });
    const second = await sdk.webhooks.create({ topic: "orders.place", callback_url: `${receiver.url}/b` });
    const disabled = await sdk.webhooks.create({ topic: "orders.place", callback_url: `${receiver.url}/disabled` });
    await sdk.webhooks._disable(disabled.id);
    await sdk.webhooks.create({ topic: "orders.cancel", callback_url: `${receiver.url}/cancel` });

    await standIn.emit("orders.place", { id: "ordTwice01", attributes: { status: "placed" } });

    const byPath = new Map(receiver.received.map((delivery) => [delivery.path, delivery]));
    expect([...byPath.keys()].sort()).toEqual(["/a", "/b"]);
    const a = byPath.get("/a");
    const b = byPath.get("/b");
    expect(verifies(first.shared_secret, a?.body as Buffer, a?.headers["x-commercelayer-signature"])).toBe(true);
    expect(verifies(second.shared_secret, b?.body as Buffer, b?.headers["x-commercelayer-signature"])).toBe(true);
    expect(verifies(first.shared_secret, b?.body as Buffer, b?.headers["x-commercelayer-signature"])).toBe(false);
  });

  it("carries the webhook's include_resources, one level and dotted paths, resolved from seeded resources", async () => {
    standIn.seed("customers", { id: "cusJane001", attributes: { email: "jane@example.com" } });
    standIn.seed("skus", { id: "skuShirt01", attributes: { code: "SHIRT-M", name: "Shirt" } });
    standIn.seed("line_items", {
      id: "liShirt001",
      attributes: { quantity: 2, total_amount_float: 50.5 },
      relationships: { item: { type: "skus", id: "skuShirt01" }, order: { type: "orders", id: "ordInclude" } },
    });
    const withIncludes = await sdk.webhooks.create({
      topic: "orders.place",
      callback_url: `${receiver.url}/with`,
      include_resources: ["customer", "line_items.item"],
    });
    await sdk.webhooks.create({ topic: "orders.place", callback_url: `${receiver.url}/without` });

    await standIn.emit("orders.place", {
      id: "ordInclude",
      attributes: { status: "placed" },
      relationships: {
        customer: { type: "customers", id: "cusJane001" },
        line_items: [{ type: "line_items", id: "liShirt001" }],
      },
    });

    const withBody = receiver.received.find((delivery) => delivery.path === "/with")?.body as Buffer;
    const document = parsed(withBody);
    expect(
      verifies(
        withIncludes.shared_secret,
        withBody,
        receiver.received.find((d) => d.path === "/with")?.headers["x-commercelayer-signature"],
      ),
    ).toBe(true);
    expect(document.data.relationships.customer.data).toEqual({ type: "customers", id: "cusJane001" });
    expect(document.data.relationships.line_items.data).toEqual([{ type: "line_items", id: "liShirt001" }]);
    const included = new Map(
      document.included.map((resource: { type: string; id: string }) => [`${resource.type}/${resource.id}`, resource]),
    );
    expect([...included.keys()].sort()).toEqual(["customers/cusJane001", "line_items/liShirt001", "skus/skuShirt01"]);
    expect(included.get("line_items/liShirt001")).toMatchObject({
      attributes: { quantity: 2, total_amount_float: 50.5 },
      relationships: { item: { data: { type: "skus", id: "skuShirt01" } }, order: { links: expect.any(Object) } },
    });
    // A relationship not included has links and no data.
    expect(included.get("line_items/liShirt001")).not.toHaveProperty("relationships.order.data");

    const plain = parsed(receiver.received.find((delivery) => delivery.path === "/without")?.body as Buffer);
    expect(plain).not.toHaveProperty("included");
    expect(plain.data.relationships.customer).not.toHaveProperty("data");
  });

  it("of a .destroy event carries the id and nothing else", async () => {
    await sdk.webhooks.create({ topic: "orders.destroy", callback_url: receiver.url });
    await standIn.emit("orders.destroy", { id: "ordGone001", attributes: { status: "cancelled" } });
    const { data } = parsed(receiver.received[0]?.body as Buffer);
    expect(data.id).toBe("ordGone001");
    expect(Object.values(data.attributes).every((value) => value === null)).toBe(true);
  });
});

describe("failures and the circuit breaker", () => {
  it("opens the circuit at exactly 30 failures in a row; _reset_circuit closes it and zeroes the count", async () => {
    const webhook = await sdk.webhooks.create({ topic: "orders.place", callback_url: receiver.url });
    receiver.answerWith(500);
    for (let i = 0; i < 3; i++) await standIn.emit("orders.place", { id: "ordCircuit", attributes: { n: i } });
    expect((await sdk.webhooks.retrieve(webhook.id)).circuit_failure_count).toBe(3);
    receiver.answerWith(200);
    await standIn.emit("orders.place", { id: "ordCircuit" });
    expect((await sdk.webhooks.retrieve(webhook.id)).circuit_failure_count).toBe(0);

    receiver.answerWith(500);
    for (let i = 0; i < 29; i++) await standIn.emit("orders.place", { id: "ordCircuit" });
    expect(await sdk.webhooks.retrieve(webhook.id)).toMatchObject({
      circuit_state: "closed",
      circuit_failure_count: 29,
    });
    await standIn.emit("orders.place", { id: "ordCircuit" });
    expect(await sdk.webhooks.retrieve(webhook.id)).toMatchObject({ circuit_state: "open", circuit_failure_count: 30 });
    const listed = await sdk.webhooks.list({ filters: { circuit_state_eq: "open" } });
    expect(Array.from(listed, (item) => item.id)).toEqual([webhook.id]);

    const received = receiver.received.length;
    const open = await standIn.emit("orders.place", { id: "ordCircuit" });
    expect(open.attempts).toEqual([]);
    expect(receiver.received).toHaveLength(received);
    expect(standIn.eventCallbacks()).toHaveLength(received);

    receiver.answerWith(200);
    expect(await sdk.webhooks._reset_circuit(webhook.id)).toMatchObject({
      circuit_state: "closed",
      circuit_failure_count: 0,
    });
    await standIn.emit("orders.place", { id: "ordCircuit" });
    expect(receiver.received).toHaveLength(received + 1);
  });

  it("counts a 4xx, a timeout and a refused connection as failures; no answer has no response code", async () => {
    const webhook = await sdk.webhooks.create({ topic: "orders.place", callback_url: receiver.url });
    receiver.answerWith(404);
    await standIn.emit("orders.place", { id: "ordFailing" });
    receiver.answerWith("hang");
    const started = Date.now();
    const timedOut = await standIn.emit("orders.place", { id: "ordFailing" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    expect(timedOut.attempts[0]).toMatchObject({
      ok: false,
      responseCode: null,
      responseMessage: `no answer within ${TIMEOUT_MS} ms`,
    });

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await sdk.webhooks.update({ id: webhook.id, callback_url: `http://127.0.0.1:${port}/gone` });
    const refused = await standIn.emit("orders.place", { id: "ordFailing" });
    expect(refused.attempts[0]).toMatchObject({ ok: false, responseCode: null, responseMessage: "ECONNREFUSED" });

    expect((await sdk.webhooks.retrieve(webhook.id)).circuit_failure_count).toBe(3);
    expect(standIn.eventCallbacks().map((callback) => callback.response_code)).toEqual(["404", null, null]);
  });

  it("retries the same bytes on retryFailed(), up to 10 times, and stops once one succeeds", async () => {
    await sdk.webhooks.create({ topic: "orders.place", callback_url: receiver.url });
    receiver.answerWith(503);
    await standIn.emit("orders.place", { id: "ordRetried", attributes: { status: "placed" } });
    for (let i = 0; i < 10; i++) expect(await standIn.retryFailed()).toHaveLength(1);
    expect(await standIn.retryFailed()).toEqual([]);
    expect(receiver.received).toHaveLength(11);
    expect(new Set(receiver.received.map((delivery) => delivery.body.toString())).size).toBe(1);
    expect(standIn.deliveries().map((attempt) => attempt.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

    receiver.answerWith(503);
    await standIn.emit("orders.place", { id: "ordRetried" });
    receiver.answerWith(200);
    expect(await standIn.retryFailed()).toEqual([expect.objectContaining({ ok: true, attempt: 2 })]);
    expect(await standIn.retryFailed()).toEqual([]);
  });
});

describe("events", () => {
  it("are listed on their resource, and _trigger fires one again to every webhook of its topic", async () => {
    const first = await sdk.webhooks.create({ topic: "orders.place", callback_url: `${receiver.url}/first` });
    await sdk.webhooks.create({ topic: "orders.cancel", callback_url: `${receiver.url}/cancel` });
    await standIn.emit("orders.place", { id: "ordFired01", attributes: { status: "placed" } });
    const later = await sdk.webhooks.create({ topic: "orders.place", callback_url: `${receiver.url}/later` });

    const events = await sdk.orders.events("ordFired01");
    expect(Array.from(events, (event) => event.name)).toEqual(["orders.place"]);
    const event = events.first();
    expect((await sdk.events.retrieve(event?.id as string)).name).toBe("orders.place");
    const original = receiver.received[0]?.body.toString();

    await sdk.events._trigger(event?.id as string);

    expect(receiver.received.map((delivery) => delivery.path).sort()).toEqual(["/first", "/first", "/later"]);
    const again = receiver.received.filter((delivery) => delivery.path === "/first");
    expect(again[1]?.body.toString()).toBe(original);
    const callbacks = await sdk.events.last_event_callbacks(event?.id as string);
    expect(callbacks).toHaveLength(3);
    expect(new Set(Array.from(callbacks, (callback) => callback.callback_url))).toEqual(
      new Set([first.callback_url, later.callback_url]),
    );
    const webhooks = await sdk.events.webhooks(event?.id as string);
    expect(Array.from(webhooks, (webhook) => webhook.id).sort()).toEqual([first.id, later.id].sort());
  });

  it("of a resource the stand-in does not hold are not found", async () => {
    await expect(sdk.orders.events("ordUnknown")).rejects.toMatchObject({ status: 404 });
  });
});
