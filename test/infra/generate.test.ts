import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import { renderTopicsModule } from "../../infra/generate/generate-topics.ts";
import type { OrderAttributes } from "../../shared/core/payload.ts";
import type { ResourceRelationships, ToMany, ToOne } from "../../shared/generated/resource-relationships.ts";
import { CURRENT_TOPICS, SEED_TOPICS } from "../../shared/generated/topics.ts";
import type { WebhookEvent } from "../../shared/webhooks/event.ts";
import { defineWebhookHandlers } from "../../shared/webhooks/router.ts";
import type { EventOf, KnownResource, KnownTopic, TopicPattern } from "../../shared/webhooks/topic.ts";
import { isTopicShaped, resourceOfTopic } from "../../shared/webhooks/topic.ts";

describe("topic catalogue", () => {
  it("holds the 36 original topics and the 186 the dashboard offers today", () => {
    expect(SEED_TOPICS).toHaveLength(36);
    expect(CURRENT_TOPICS).toHaveLength(186);
    // Dropped from the dashboard, still supported.
    expect(SEED_TOPICS).toContain("shipments.create");
    expect(CURRENT_TOPICS).not.toContain("shipments.create");
    expect([...SEED_TOPICS, ...CURRENT_TOPICS].every(isTopicShaped)).toBe(true);
  });

  it("is generated from infra/generate/topics and up to date (run `npm run generate` after editing the lists)", () => {
    const committed = readFileSync(new URL("../../shared/generated/topics.ts", import.meta.url), "utf8");
    expect(committed).toBe(renderTopicsModule());
  });

  it("derives the resource of a topic", () => {
    expect(resourceOfTopic("customer_password_resets.create")).toBe("customer_password_resets");
  });

  it("types known topics and resources, and accepts future topics only at run time", () => {
    expectTypeOf<"orders.place">().toExtend<KnownTopic>();
    expectTypeOf<"shipments.create">().toExtend<KnownTopic>();
    expectTypeOf<"orders.plase">().not.toExtend<KnownTopic>();
    expectTypeOf<"orders">().toExtend<KnownResource>();
    expectTypeOf<"orders.*">().toExtend<TopicPattern>();
    expectTypeOf<"*">().toExtend<TopicPattern>();
    expectTypeOf<"place">().toExtend<EventOf<"orders">>();
    expectTypeOf<"ship">().not.toExtend<EventOf<"orders">>();
  });

  it("gives handlers typed events per key, and makes a typo a type error", () => {
    const handlers = defineWebhookHandlers({
      "orders.place": (event) => {
        expectTypeOf(event.topic).toEqualTypeOf<"orders.place">();
        expectTypeOf(event.data.type).toEqualTypeOf<"orders">();
        expectTypeOf(event.data.attributes).toEqualTypeOf<OrderAttributes>();
        expectTypeOf(event.data.attributes.number).toEqualTypeOf<string | number | null | undefined>();
      },
      "customers.*": (event) => {
        expectTypeOf(event.data.type).toEqualTypeOf<"customers">();
        expectTypeOf(event.data.attributes.email).toEqualTypeOf<string | null | undefined>();
      },
      "orders.destroy": (event) => {
        expectTypeOf(event.data.attributes).toExtend<object | null>();
      },
      "*": (event) => {
        expectTypeOf(event).toEqualTypeOf<WebhookEvent<string>>();
      },
    });
    expect(Object.keys(handlers)).toHaveLength(4);
    defineWebhookHandlers({
      // @ts-expect-error: "plase" is not an event of the known resource "orders".
      "orders.plase": () => {},
    });
  });
});

describe("resource attribute types", () => {
  it("are generated from @commercelayer/sdk and up to date (run `npm run generate` after upgrading the SDK)", async () => {
    const { renderResourceAttributes } = await import("../../infra/generate/generate-resource-types.ts");
    const committed = readFileSync(new URL("../../shared/generated/resource-attributes.ts", import.meta.url), "utf8");
    expect(committed).toBe(renderResourceAttributes());
  }, 30_000);
});

describe("resource relationship types", () => {
  it("are generated from @commercelayer/sdk and up to date (run `npm run generate` after upgrading the SDK)", async () => {
    const { renderResourceRelationships } = await import("../../infra/generate/generate-resource-relationships.ts");
    const committed = readFileSync(
      new URL("../../shared/generated/resource-relationships.ts", import.meta.url),
      "utf8",
    );
    expect(committed).toBe(renderResourceRelationships());
  }, 30_000);

  it("describe every topic's resource, and the resources they point at, with no SDK import", () => {
    const committed = readFileSync(
      new URL("../../shared/generated/resource-relationships.ts", import.meta.url),
      "utf8",
    );
    expect(committed).not.toMatch(/\bimport\b/);
    expectTypeOf<ResourceRelationships["orders"]["line_items"]>().toEqualTypeOf<ToMany<"line_items">>();
    expectTypeOf<ResourceRelationships["orders"]["customer"]>().toEqualTypeOf<ToOne<"customers">>();
    expectTypeOf<"skus">().toExtend<ResourceRelationships["line_items"]["item"]["one"]>();
    expectTypeOf<ResourceRelationships["shipments"]["shipping_method"]>().toEqualTypeOf<ToOne<"shipping_methods">>();
    expectTypeOf<KnownResource>().toExtend<keyof ResourceRelationships>();
  });
});
