// /api/event_callbacks, one per delivery attempt, read through the SDK as a client looking for failed deliveries
// reads them: filtered by webhook, response code and time, with their webhook included, and a webhook's
// last_event_callbacks, the most recent first.
import type { EventCallback, QueryFilter, Webhook } from "@commercelayer/sdk";
import { beforeAll, describe, expect, it } from "vitest";
import type { CommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import { apiErrorOf, type Client, type Receiver, useStandInWithReceiver } from "./clients.ts";

let standIn: CommerceLayerStandIn;
let sdk: Client;
let receiver: Receiver;
let orders: Webhook;
let customers: Webhook;
/** When the second batch of deliveries began. */
let between: string;

useStandInWithReceiver({ topics: ["orders.place", "customers.create"], deliveryTimeoutMs: 200 }, (started) => {
  ({ standIn, sdk, receiver } = started);
});
beforeAll(async () => {
  orders = await sdk.webhooks.create({ name: "orders", topic: "orders.place", callback_url: `${receiver.url}/orders` });
  customers = await sdk.webhooks.create({
    name: "customers",
    topic: "customers.create",
    callback_url: `${receiver.url}/customers`,
  });
  // orders: 200, 200, then (later) 500 and a timeout; customers: 200.
  await standIn.emit("orders.place", { id: "ordFirst01" });
  await standIn.emit("orders.place", { id: "ordSecond1" });
  await standIn.emit("customers.create", { id: "cusFirst01", attributes: { email: "a@example.com" } });
  await new Promise((resolve) => setTimeout(resolve, 10));
  between = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 10));
  receiver.answerWith(500);
  await standIn.emit("orders.place", { id: "ordThird01" });
  receiver.answerWith("hang");
  await standIn.emit("orders.place", { id: "ordFourth1" });
});

const ids = (callbacks: Iterable<EventCallback>) => Array.from(callbacks, (callback) => callback.id);
const codes = (callbacks: Iterable<EventCallback>) => Array.from(callbacks, (callback) => callback.response_code);

describe("event_callbacks", () => {
  it("lists one per attempt, with the payload sent and the answer's code as a string", async () => {
    const all = await sdk.event_callbacks.list({ pageSize: 25 });
    expect(all.meta.recordCount).toBe(5);
    expect(codes(all)).toEqual(["200", "200", "200", "500", null]);
    expect(all.first()).toMatchObject({
      callback_url: `${receiver.url}/orders`,
      payload: { data: { type: "orders", id: "ordFirst01" } },
      response_message: "OK",
    });
  });

  it("filters by webhook, response code and creation time", async () => {
    const list = (filters: QueryFilter) => sdk.event_callbacks.list({ filters, pageSize: 25 });
    expect(codes(await list({ webhook_id_eq: orders.id }))).toEqual(["200", "200", "500", null]);
    expect((await list({ webhook_id_in: [orders.id, customers.id] })).meta.recordCount).toBe(5);
    expect(codes(await list({ response_code_eq: "500" }))).toEqual(["500"]);
    // SQL semantics: a callback without a response code matches no comparison, only _null.
    expect(codes(await list({ response_code_not_eq: "200" }))).toEqual(["500"]);
    expect(codes(await list({ response_code_gteq: "300" }))).toEqual(["500"]);
    expect(codes(await list({ response_code_null: true }))).toEqual([null]);
    expect(codes(await list({ created_at_gteq: between }))).toEqual(["500", null]);
    expect(codes(await list({ created_at_lt: between, webhook_id_eq: orders.id }))).toEqual(["200", "200"]);
    expect(codes(await list({ webhook_topic_eq: "customers.create" }))).toEqual(["200"]);
    expect(await apiErrorOf(list({ webhook_colour_eq: "x" }))).toMatchObject({ status: 400 });
  });

  it("includes their webhook, sorts, and reads one", async () => {
    const [latest] = await sdk.event_callbacks.list({
      include: ["webhook"],
      sort: { created_at: "desc" },
      pageSize: 1,
    });
    expect(latest?.response_code).toBeNull();
    expect(latest?.webhook).toMatchObject({ id: orders.id, type: "webhooks", topic: "orders.place" });
    const one = await sdk.event_callbacks.retrieve(latest?.id as string, { include: ["webhook"] });
    expect(one.webhook?.id).toBe(orders.id);
    expect((await sdk.event_callbacks.webhook(latest?.id as string)).id).toBe(orders.id);
  });

  it("are a webhook's last_event_callbacks, the most recent first", async () => {
    const all = ids(await sdk.event_callbacks.list({ filters: { webhook_id_eq: orders.id } }));
    const last = await sdk.webhooks.last_event_callbacks(orders.id);
    expect(ids(last)).toEqual([...all].reverse());
    expect(ids(await sdk.webhooks.last_event_callbacks(orders.id, { pageSize: 2 }))).toEqual(
      [...all].reverse().slice(0, 2),
    );
    const included = await sdk.webhooks.retrieve(orders.id, { include: ["last_event_callbacks"] });
    expect(ids(included.last_event_callbacks ?? [])).toEqual([...all].reverse());
  });

  it("cannot be written, and go with their webhook when it is deleted", async () => {
    expect(standIn.requests({ method: "POST", path: "/api/event_callbacks" })).toEqual([]);
    await sdk.webhooks.delete(customers.id);
    expect(standIn.eventCallbacks().map((callback) => callback.webhook_id)).not.toContain(customers.id);
    expect((await sdk.event_callbacks.list()).meta.recordCount).toBe(4);
  });
});
