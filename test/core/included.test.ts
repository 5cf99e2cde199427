import { describe, expect, it } from "vitest";
import { findIncluded, relatedMany, relatedOne } from "../../shared/core/included.ts";
import type { WebhookPayload } from "../../shared/core/payload.ts";
import { createWebhookEvent } from "../../shared/webhooks/event.ts";
import { signedDelivery } from "../support/deliveries.ts";

const parse = (topic: string) => JSON.parse(signedDelivery(topic).body.toString("utf8")) as WebhookPayload;

describe("resolving relationships against included", () => {
  it("finds resources by type and id, whatever their position", () => {
    const payload = parse("orders.place");
    const lineItems = relatedMany(payload, payload.data, "line_items");
    expect(lineItems).toHaveLength(5);
    expect(lineItems.every((item) => item.type === "line_items")).toBe(true);
    const customer = relatedOne(payload, payload.data, "customer");
    expect(customer?.type).toBe("customers");
    // Reversing `included` changes nothing.
    const reversed = { ...payload, included: [...(payload.included ?? [])].reverse() };
    expect(relatedOne(reversed, reversed.data, "customer")?.id).toBe(customer?.id);
  });

  it("is safe on cycles: a shipment's parcel points back at the shipment", () => {
    const payload = parse("shipments.ship");
    const [parcel] = relatedMany(payload, payload.data, "parcels");
    if (parcel === undefined) throw new Error("sample shipment has no parcel");
    const back = relatedOne(payload, parcel, "shipment");
    expect(back).toBe(payload.data);
    if (back === undefined) throw new Error("parcel does not point back");
    expect(relatedMany(payload, back, "parcels")[0]).toBe(parcel);
  });

  it("answers undefined or [] for relationships that were not included, missing, or null (.destroy)", () => {
    const payload = parse("orders.place");
    expect(relatedOne(payload, payload.data, "market")?.type).toBe("markets");
    expect(relatedOne(payload, payload.data, "tags")).toBeUndefined();
    expect(relatedMany(payload, payload.data, "no_such_relationship")).toEqual([]);
    const destroyed = parse("orders.destroy");
    expect(destroyed.data.attributes).toBeNull();
    expect(relatedMany(destroyed, destroyed.data, "line_items")).toEqual([]);
    expect(findIncluded(destroyed, { type: "customers", id: "x" })).toBeUndefined();
    const withoutIncludes = JSON.parse(
      signedDelivery("orders.place", { includes: false }).body.toString(),
    ) as WebhookPayload;
    expect(relatedMany(withoutIncludes, withoutIncludes.data, "line_items")).toEqual([]);
  });

  it("binds the same lookups to the handler's event", () => {
    const payload = parse("orders.place");
    // Typed as a handler that declared these includes would see it (withIncludes only narrows the event's type).
    const event = createWebhookEvent<"orders.place", "line_items.order" | "customer">("orders.place", payload, {
      topic: "orders.place",
      body: "",
      signature: "",
    });
    expect(event.relatedMany("line_items")).toHaveLength(5);
    const item = event.relatedMany("line_items")[0];
    expect(event.relatedOne("order", item)).toBe(payload.data);
    expect(event.find({ type: "customers", id: event.relatedOne("customer")?.id ?? "" })?.type).toBe("customers");
  });
});
