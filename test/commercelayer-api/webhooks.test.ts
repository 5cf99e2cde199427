// /api/webhooks on the stand-in, through the real SDK: create with its validations, list with filters, sort and
// pages over more webhooks than a page holds, update, the triggers, delete.
import type { QueryFilter, QueryPageSize, Webhook, WebhookUpdate } from "@commercelayer/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CommerceLayerStandIn, startCommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import { apiErrorOf, type Client, connectSdk, integrationToken, raw } from "./clients.ts";

// The test's own fixtures: the topics it may name, and the relationships an include path is checked against.
const TOPICS = ["orders.place", "orders.cancel", "customers.create", "shipments.ship"];
const RELATIONSHIPS = {
  orders: { customer: "customers", line_items: "line_items", market: "markets" },
  line_items: { item: "skus", order: "orders" },
};
const CALLBACK = "https://receiver.example/hooks";

let standIn: CommerceLayerStandIn;
let sdk: Client;

beforeAll(async () => {
  standIn = await startCommerceLayerStandIn({ topics: TOPICS, resourceRelationships: RELATIONSHIPS });
  sdk = await connectSdk(standIn);
});
afterAll(() => standIn.close());
beforeEach(() => standIn.reset());

describe("create", () => {
  it("answers 201 with the webhook and what the server sets: a secret of its own, a closed circuit", async () => {
    const webhook = await sdk.webhooks.create({
      name: "orders to the ERP",
      topic: "orders.place",
      callback_url: CALLBACK,
      include_resources: ["customer", "line_items.item"],
      metadata: { team: "erp" },
    });
    expect(webhook).toMatchObject({
      type: "webhooks",
      name: "orders to the ERP",
      topic: "orders.place",
      callback_url: CALLBACK,
      include_resources: ["customer", "line_items.item"],
      disabled_at: null,
      circuit_state: "closed",
      circuit_failure_count: 0,
      metadata: { team: "erp" },
    });
    expect(Buffer.from(webhook.shared_secret, "base64")).toHaveLength(32);
    expect(webhook.shared_secret).toHaveLength(44);
    expect(Date.parse(webhook.created_at)).not.toBeNaN();
    expect(standIn.requests({ method: "POST", path: "/api/webhooks" })).toEqual([
      expect.objectContaining({ status: 201 }),
    ]);
    expect(standIn.webhooks()).toEqual([
      expect.objectContaining({ id: webhook.id, shared_secret: webhook.shared_secret }),
    ]);
  });

  it("gives every webhook its own secret", async () => {
    const secrets = new Set<string>();
    for (let i = 0; i < 8; i++) {
      secrets.add((await sdk.webhooks.create({ topic: "orders.place", callback_url: CALLBACK })).shared_secret);
    }
    expect(secrets.size).toBe(8);
  });

  it("names a webhook 'Webhook <id>' by default, and refuses a name taken (the API's field metadata)", async () => {
    const unnamed = await sdk.webhooks.create({ topic: "orders.place", callback_url: CALLBACK });
    expect(unnamed.name).toBe(`Webhook ${unnamed.id}`);
    await sdk.webhooks.create({ name: "erp", topic: "orders.place", callback_url: CALLBACK });
    expect(
      await apiErrorOf(sdk.webhooks.create({ name: "erp", topic: "orders.cancel", callback_url: CALLBACK })),
    ).toMatchObject({
      status: 422,
      errors: [{ detail: "name - has already been taken", meta: { error: "taken", value: "erp" } }],
    });
    expect(await apiErrorOf(sdk.webhooks.update({ id: unnamed.id, name: "erp" }))).toMatchObject({ status: 422 });
  });

  it("refuses a missing topic and callback_url with 422, one error each, pointing at the attribute", async () => {
    const refusal = await apiErrorOf(
      sdk.webhooks.create({ name: "nothing" } as Parameters<Client["webhooks"]["create"]>[0]),
    );
    expect(refusal.status).toBe(422);
    expect(refusal.errors).toEqual([
      expect.objectContaining({
        title: "can't be blank",
        detail: "topic - can't be blank",
        code: "VALIDATION_ERROR",
        status: "422",
        source: { pointer: "/data/attributes/topic" },
      }),
      expect.objectContaining({
        detail: "callback_url - can't be blank",
        source: { pointer: "/data/attributes/callback_url" },
      }),
    ]);
  });

  it("refuses a topic Commerce Layer does not offer, a callback_url that is no URL, an include path of no relationship", async () => {
    const unknownTopic = await apiErrorOf(sdk.webhooks.create({ topic: "orders.teleport", callback_url: CALLBACK }));
    expect(unknownTopic.errors).toEqual([
      expect.objectContaining({
        detail: "topic - is not included in the list",
        meta: { error: "inclusion", value: "orders.teleport" },
      }),
    ]);
    const badUrl = await apiErrorOf(sdk.webhooks.create({ topic: "orders.place", callback_url: "not a url" }));
    expect(badUrl.errors[0]).toMatchObject({
      source: { pointer: "/data/attributes/callback_url" },
      code: "VALIDATION_ERROR",
    });
    const badInclude = await apiErrorOf(
      sdk.webhooks.create({
        topic: "orders.place",
        callback_url: CALLBACK,
        include_resources: ["shipping_address", "line_items.price"],
      }),
    );
    expect(badInclude.status).toBe(422);
    expect(badInclude.errors[0]).toMatchObject({
      source: { pointer: "/data/attributes/include_resources" },
      meta: { error: "invalid", value: ["shipping_address", "line_items.price"] },
    });
    // Past the types the stand-in knows (skus), a path is taken as it is.
    await expect(
      sdk.webhooks.create({
        topic: "orders.place",
        callback_url: CALLBACK,
        include_resources: ["line_items.item.prices"],
      }),
    ).resolves.toMatchObject({ include_resources: ["line_items.item.prices"] });
    expect(standIn.webhooks()).toHaveLength(1);
  });

  it("refuses read-only and unknown attributes with 400 PARAM_NOT_ALLOWED", async () => {
    for (const attribute of ["shared_secret", "circuit_state", "colour"]) {
      const refusal = await apiErrorOf(
        sdk.webhooks.create({ topic: "orders.place", callback_url: CALLBACK, [attribute]: "x" } as never),
      );
      expect(refusal).toMatchObject({
        status: 400,
        errors: [{ code: "PARAM_NOT_ALLOWED", detail: `${attribute} is not allowed.` }],
      });
    }
  });
});

describe("list", () => {
  const created: Webhook[] = [];

  beforeEach(async () => {
    created.length = 0;
    for (let i = 0; i < 27; i++) {
      const topic = TOPICS[i % TOPICS.length] as string;
      created.push(
        await sdk.webhooks.create({
          name: `hook-${String(i).padStart(2, "0")}`,
          topic,
          callback_url: `${CALLBACK}/${i}`,
          reference: `ref-${String(27 - i).padStart(2, "0")}`,
          reference_origin: i % 2 === 0 ? "even" : "odd",
          metadata: { even: i % 2 === 0 },
        }),
      );
    }
  });

  it("pages 10 by default and 25 at most, with the record and page counts", async () => {
    const first = await sdk.webhooks.list();
    expect(first).toHaveLength(10);
    expect(first.meta).toMatchObject({ recordCount: 27, pageCount: 3 });
    const full = await sdk.webhooks.list({ pageSize: 25 });
    expect(full).toHaveLength(25);
    expect(full.meta).toMatchObject({ recordCount: 27, pageCount: 2 });
    const second = await sdk.webhooks.list({ pageSize: 25, pageNumber: 2 });
    expect(Array.from(second, (webhook) => webhook.id)).toEqual(created.slice(25).map((webhook) => webhook.id));
    expect(await sdk.webhooks.list({ pageSize: 25, pageNumber: 3 })).toHaveLength(0);

    const tooLarge = await apiErrorOf(sdk.webhooks.list({ pageSize: 26 as QueryPageSize }));
    expect(tooLarge).toMatchObject({ status: 400, errors: [{ code: "INVALID_PAGE_VALUE" }] });
  });

  it("links the other pages", async () => {
    const token = await integrationToken(standIn);
    const page = await raw(standIn, "GET", "/api/webhooks?page[number]=2&page[size]=10", { token });
    const links = (page.json as { links: Record<string, string> }).links;
    expect(Object.keys(links)).toEqual(["first", "prev", "next", "last"]);
    expect(new URL(links.last as string).searchParams.get("page[number]")).toBe("3");
  });

  it("filters on any attribute with the documented predicates, combined as AND", async () => {
    const names = async (filters: QueryFilter) =>
      Array.from(await sdk.webhooks.list({ filters, pageSize: 25 }), (webhook) => webhook.name);
    expect(await names({ topic_eq: "shipments.ship" })).toEqual([
      "hook-03",
      "hook-07",
      "hook-11",
      "hook-15",
      "hook-19",
      "hook-23",
    ]);
    expect(await names({ topic_in: ["orders.cancel", "shipments.ship"], name_start: "hook-0" })).toEqual([
      "hook-01",
      "hook-03",
      "hook-05",
      "hook-07",
      "hook-09",
    ]);
    expect(await names({ name_end: "6", topic_not_eq: "customers.create" })).toEqual(["hook-16"]);
    expect(await names({ name_matches: "hook-2_" })).toHaveLength(7);
    expect(await names({ name_or_topic_cont: "CUSTOMERS", name_lt: "hook-10" })).toEqual(["hook-02", "hook-06"]);
    expect(await names({ id_in: [created[4]?.id as string, created[5]?.id as string] })).toEqual([
      "hook-04",
      "hook-05",
    ]);
    expect(await names({ metadata_jcont: { even: false }, name_gteq: "hook-20" })).toEqual([
      "hook-21",
      "hook-23",
      "hook-25",
    ]);
    expect(await names({ circuit_state_eq: "open" })).toEqual([]);
    expect(await names({ disabled_at_null: true, created_at_gteq: created[26]?.created_at as string })).toContain(
      "hook-26",
    );
    expect(await names({ reference_null: true })).toEqual([]);
    expect(await names({ reference_origin_eq: "odd", reference_lteq: "ref-04" })).toEqual(["hook-23", "hook-25"]);
  });

  it("refuses a filter on callback_url (not filterable) or on what a webhook does not have", async () => {
    for (const filter of ["callback_url_eq", "colour_eq", "topic_resembles"]) {
      const refusal = await apiErrorOf(sdk.webhooks.list({ filters: { [filter]: "x" } }));
      expect(refusal, filter).toMatchObject({ status: 400, errors: [{ code: "FILTER_NOT_ALLOWED" }] });
    }
  });

  it("sorts on the sortable attributes, several keys, descending with a minus", async () => {
    const sorted = await sdk.webhooks.list({ sort: { reference_origin: "desc", reference: "asc" }, pageSize: 5 });
    expect(Array.from(sorted, (webhook) => webhook.name)).toEqual([
      "hook-25",
      "hook-23",
      "hook-21",
      "hook-19",
      "hook-17",
    ]);
    // The API's field metadata: a webhook's name and topic are filterable, not sortable.
    for (const field of ["name", "topic", "colour"]) {
      const refusal = await apiErrorOf(sdk.webhooks.list({ sort: [field] as never }));
      expect(refusal, field).toMatchObject({ status: 400, errors: [{ code: "INVALID_SORT_CRITERIA" }] });
    }
  });

  it("takes the JSON:API library's own filters too: filter[ids], filter[<field>], filter[<time>_from]", async () => {
    const token = await integrationToken(standIn);
    const names = async (query: string) => {
      const answer = await raw(standIn, "GET", `/api/webhooks?page[size]=25&${query}`, { token });
      return (answer.json as { data: { attributes: { name: string } }[] }).data.map((item) => item.attributes.name);
    };
    expect(await names(`filter[ids]=${created[1]?.id},${created[2]?.id}`)).toEqual(["hook-01", "hook-02"]);
    expect(await names("filter[topic]=shipments.ship,orders.cancel&filter[name]=hook-01,hook-03,hook-04")).toEqual([
      "hook-01",
      "hook-03",
    ]);
    expect(await names(`filter[created_at_from]=${encodeURIComponent(created[26]?.created_at as string)}`)).toContain(
      "hook-26",
    );
    expect((await raw(standIn, "GET", "/api/webhooks?filter[callback_url]=x", { token })).status).toBe(400);
  });

  it("shows only the asked fields (sparse fieldsets)", async () => {
    const [webhook] = await sdk.webhooks.list({ fields: ["name", "topic"], pageSize: 1 });
    expect(webhook).toEqual({ id: created[0]?.id, type: "webhooks", name: "hook-00", topic: "orders.place" });
  });
});

describe("update, triggers and delete", () => {
  let webhook: Webhook;

  beforeEach(async () => {
    webhook = await sdk.webhooks.create({ name: "first", topic: "orders.place", callback_url: CALLBACK });
  });

  it("updates what it is sent and keeps the rest", async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    const updated = await sdk.webhooks.update({
      id: webhook.id,
      name: "renamed",
      callback_url: `${CALLBACK}/v2`,
      include_resources: ["customer"],
      reference: "erp-1",
    });
    expect(updated).toMatchObject({
      name: "renamed",
      topic: "orders.place",
      callback_url: `${CALLBACK}/v2`,
      include_resources: ["customer"],
      reference: "erp-1",
      shared_secret: webhook.shared_secret,
      created_at: webhook.created_at,
    });
    expect(updated.updated_at > webhook.updated_at).toBe(true);
    const refusal = await apiErrorOf(sdk.webhooks.update({ id: webhook.id, topic: "" }));
    expect(refusal).toMatchObject({ status: 422, errors: [{ detail: "topic - can't be blank" }] });
    expect((await sdk.webhooks.retrieve(webhook.id)).name).toBe("renamed");
  });

  it("disables and enables", async () => {
    const disabled = await sdk.webhooks._disable(webhook.id);
    expect(Date.parse(disabled.disabled_at ?? "")).not.toBeNaN();
    expect((await sdk.webhooks._enable(webhook.id)).disabled_at).toBeNull();
    const ignored = await sdk.webhooks.update({ id: webhook.id, _disable: false });
    expect(ignored.disabled_at).toBeNull();
  });

  it("regenerates the shared secret on _regenerate_shared_secret (undocumented: the API's field metadata lists it)", async () => {
    const regenerated = await sdk.webhooks.update({ id: webhook.id, _regenerate_shared_secret: true } as WebhookUpdate);
    expect(regenerated.shared_secret).not.toBe(webhook.shared_secret);
    expect(Buffer.from(regenerated.shared_secret, "base64")).toHaveLength(32);
    expect(standIn.webhooks()[0]?.shared_secret).toBe(regenerated.shared_secret);
  });

  it("deletes (204), after which the webhook is not found", async () => {
    await sdk.webhooks.delete(webhook.id);
    expect(standIn.requests({ method: "DELETE" })).toEqual([expect.objectContaining({ status: 204 })]);
    expect(await apiErrorOf(sdk.webhooks.retrieve(webhook.id))).toMatchObject({
      status: 404,
      errors: [{ code: "RECORD_NOT_FOUND", status: "404" }],
    });
    expect(await apiErrorOf(sdk.webhooks.update({ id: webhook.id, name: "x" }))).toMatchObject({ status: 404 });
  });
});
