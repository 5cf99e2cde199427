// Includes declared with a handler (withIncludes): at run time a marker only, which declaredIncludes reads back
// (through deferred(...) too) and which leaves the handler and its event as they were; in types, the relationships the
// handler may read and what they give. The type errors and their messages: handlers-file-types.test.ts.
import { describe, expect, expectTypeOf, it, vi } from "vitest";
import type { JsonApiResource, WebhookPayload } from "../../shared/core/payload.ts";
import type {
  AddressAttributes,
  CustomerAttributes,
  LineItemAttributes,
  ShippingMethodAttributes,
} from "../../shared/generated/resource-attributes.ts";
import { deferred, deferredOnly } from "../../shared/webhooks/deferred.ts";
import { createWebhookEvent, type WebhookEvent } from "../../shared/webhooks/event.ts";
import { declaredIncludes, withIncludes } from "../../shared/webhooks/includes.ts";
import type { IncludePath } from "../../shared/webhooks/relationships.ts";
import {
  createTopicRouter,
  DEFERRED,
  defineWebhookHandlers,
  runHandlers,
  type TopicHandler,
  type WebhookHandlers,
} from "../../shared/webhooks/router.ts";
import { signedDelivery } from "../support/deliveries.ts";

function eventOf<T extends string>(topic: T): WebhookEvent<T> {
  const delivery = signedDelivery(topic);
  const payload = JSON.parse(delivery.body.toString("utf8")) as WebhookPayload;
  return createWebhookEvent(topic, payload, { topic, body: delivery.body, signature: "" });
}

describe("withIncludes, at run time", () => {
  it("declares the paths, read back by declaredIncludes, through deferred(...) either way round", () => {
    const paths = ["line_items", "line_items.item"] as const;
    const handlers = defineWebhookHandlers({
      "orders.place": withIncludes(paths, () => {}),
      "orders.approve": deferred(withIncludes(paths, () => {})),
      "orders.cancel": withIncludes(
        paths,
        deferred(() => {}),
      ),
      "orders.pay": [withIncludes(["customer"], () => {}), () => {}],
    });
    const first = (key: keyof WebhookHandlers): TopicHandler => {
      const registered = handlers[key];
      return (Array.isArray(registered) ? registered[0] : registered) as TopicHandler;
    };
    expect(declaredIncludes(first("orders.place"))).toEqual(paths);
    expect(declaredIncludes(first("orders.approve"))).toEqual(paths);
    expect(declaredIncludes(first("orders.cancel"))).toEqual(paths);
    expect(declaredIncludes(first("orders.pay"))).toEqual(["customer"]);
    expect(declaredIncludes((handlers["orders.pay"] as TopicHandler[])[1] as TopicHandler)).toEqual([]);
    // Declared the other way round, the handler is still deferred: the router would hand it off, not run it.
    expect(DEFERRED in first("orders.cancel")).toBe(true);
  });

  it("keeps its own copy of the paths, and one handler can be registered twice with different includes", () => {
    const paths = ["line_items"];
    const handle = () => {};
    // Defined apart from a handler map, a handler names its topic in its type.
    const withLines: TopicHandler<"orders.place"> = withIncludes(paths as ["line_items"], handle);
    const withCustomer: TopicHandler<"orders.place"> = withIncludes(["customer"], handle);
    paths.push("customer");
    // declaredIncludes reads any handler of a map, whatever its topic.
    expect(declaredIncludes(withLines as TopicHandler)).toEqual(["line_items"]);
    expect(declaredIncludes(withCustomer as TopicHandler)).toEqual(["customer"]);
    expect(declaredIncludes(handle)).toEqual([]);
  });

  it("runs the handler with the event as it is, and passes its result or failure on", async () => {
    const event = eventOf("orders.place");
    const seen = vi.fn((_event: unknown) => "done");
    const handler: TopicHandler<"orders.place"> = withIncludes(["line_items"], seen);
    expect(handler(event)).toBe("done");
    expect(seen).toHaveBeenCalledWith(event);
    expect(seen.mock.calls[0]?.[0]).toBe(event);

    const router = createTopicRouter({
      "orders.place": [
        withIncludes(["line_items"], (received) => void seen(received)),
        withIncludes(["customer"], () => {
          throw new Error("failed inside");
        }),
      ],
    });
    const failures = await runHandlers(router.match("orders.place"), event);
    expect(failures).toEqual([new Error("failed inside")]);
    expect(seen).toHaveBeenLastCalledWith(event);
  });

  it("the worker runs a deferred handler that declared includes on the event it verified", async () => {
    const event = eventOf("orders.place");
    const lineItems: unknown[] = [];
    const handlers = defineWebhookHandlers({
      "orders.place": deferred(
        withIncludes(["line_items"], (received) => void lineItems.push(...received.relatedMany("line_items"))),
      ),
    });
    const router = createTopicRouter(deferredOnly(handlers));
    expect(await runHandlers(router.match("orders.place"), event)).toEqual([]);
    expect(lineItems).toHaveLength(5);
  });
});

describe("withIncludes, in types", () => {
  it("types the declared relationships, dotted paths too, through deferred and arrays", () => {
    defineWebhookHandlers({
      "orders.place": deferred(
        withIncludes(["line_items.item", "customer", "shipments.shipping_method"], (event) => {
          expectTypeOf(event).toEqualTypeOf<
            WebhookEvent<"orders.place", "line_items.item" | "customer" | "shipments.shipping_method">
          >();
          const lineItems = event.relatedMany("line_items");
          expectTypeOf(lineItems).toEqualTypeOf<JsonApiResource<"line_items", LineItemAttributes>[]>();
          expectTypeOf(event.relatedOne("customer")).toEqualTypeOf<
            JsonApiResource<"customers", CustomerAttributes> | undefined
          >();
          // A polymorphic relationship: a union that `type` tells apart.
          const item = event.relatedOne("item", lineItems[0]);
          if (item?.type === "skus") expectTypeOf(item.attributes.code).toEqualTypeOf<string | null | undefined>();
          expectTypeOf(item?.type).toEqualTypeOf<
            | "adjustments"
            | "bundles"
            | "buy_x_pay_y_promotions"
            | "discount_engine_items"
            | "external_promotions"
            | "fixed_amount_promotions"
            | "fixed_price_promotions"
            | "flex_promotions"
            | "free_gift_promotions"
            | "free_shipping_promotions"
            | "gift_cards"
            | "payment_methods"
            | "percentage_discount_promotions"
            | "shipments"
            | "skus"
            | undefined
          >();
          const [shipment] = event.relatedMany("shipments");
          expectTypeOf(event.relatedOne("shipping_method", shipment)).toEqualTypeOf<
            JsonApiResource<"shipping_methods", ShippingMethodAttributes> | undefined
          >();
          // @ts-expect-error: the paths read `item` from a line item, not from the order.
          event.relatedOne("item");
          // @ts-expect-error: `line_items` is to-many.
          event.relatedOne("line_items");
        }),
      ),
      "orders.approve": [
        withIncludes(["billing_address"], (event) =>
          expectTypeOf(event.relatedOne("billing_address")).toEqualTypeOf<
            JsonApiResource<"addresses", AddressAttributes> | undefined
          >(),
        ),
        // @ts-expect-error: a handler without includes reads no relationship.
        (event) => event.relatedOne("billing_address"),
      ],
      "shipments.*": withIncludes(["parcels"], (event) =>
        expectTypeOf(event.relatedMany("parcels")[0]?.type).toEqualTypeOf<"parcels" | undefined>(),
      ),
      // @ts-expect-error: a `*` handler declares no includes.
      "*": withIncludes(["line_items"], () => {}),
    });
  });

  it("checks paths against the topic's resource, two names deep, and goes on unchecked past them", () => {
    expectTypeOf<"line_items.item">().toExtend<IncludePath<"orders">>();
    expectTypeOf<"shipments.shipping_method">().toExtend<IncludePath<"orders">>();
    expectTypeOf<"line_items.item.prices">().toExtend<IncludePath<"orders">>();
    expectTypeOf<"line_itemz">().not.toExtend<IncludePath<"orders">>();
    expectTypeOf<"line_items.itemz">().not.toExtend<IncludePath<"orders">>();
    expectTypeOf<"email">().not.toExtend<IncludePath<"customers">>();
  });

  it("an event with more includes is still an event with fewer, so helpers can take either", () => {
    expectTypeOf<WebhookEvent<"orders.place", "line_items" | "customer">>().toExtend<
      WebhookEvent<"orders.place", "line_items">
    >();
    expectTypeOf<WebhookEvent<"orders.place", "line_items">>().toExtend<WebhookEvent<"orders.place">>();
    expectTypeOf<WebhookEvent<"orders.place">>().not.toExtend<WebhookEvent<"orders.place", "line_items">>();
  });
});
