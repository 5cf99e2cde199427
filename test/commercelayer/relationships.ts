// The relationships of the resources the fixture handlers declare includes on, as the stand-in checks a webhook's
// include_resources against them (a path naming no relationship is refused 422, as Commerce Layer refuses it).
import type { ResourceRelationships } from "../support/commercelayer-api/stand-in.ts";

export const RELATIONSHIPS: ResourceRelationships = {
  orders: { customer: "customers", line_items: "line_items", market: "markets" },
  customer_addresses: { customer: "customers", address: "addresses" },
  returns: { customer: "customers", order: "orders" },
};

/** What applying fixtures/handlers.ts makes: one webhook per topic, with the includes its handlers declared. */
export const EXPECTED_WEBHOOKS = [
  { topic: "customer_addresses.create", include_resources: ["address", "customer"] },
  { topic: "customer_addresses.destroy", include_resources: ["address"] },
  { topic: "orders.approve", include_resources: ["customer", "line_items"] },
  { topic: "returns.approve", include_resources: [] },
];
