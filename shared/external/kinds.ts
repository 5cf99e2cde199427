// Commerce Layer's external resources, stated once: for each kind of call, the resource type it POSTs as `data`, the
// Commerce Layer resource that holds its URL and shared secret (and so the environment variable that secret goes in).
// docs/external-resources.md says the same for people, with sources, and what Commerce Layer does when a call fails.
//
// No header names the kind: the URL that was called does, so each kind has a path of its own, ending in its name.

export const EXTERNAL_KINDS = {
  "payment-gateway/authorize": {
    resource: "external_payments",
    holder: "external_gateways",
    urlAttribute: "authorize_url",
    secretEnv: "COMMERCELAYER_PAYMENT_GATEWAY_SECRET",
  },
  "payment-gateway/capture": {
    resource: "authorizations",
    holder: "external_gateways",
    urlAttribute: "capture_url",
    secretEnv: "COMMERCELAYER_PAYMENT_GATEWAY_SECRET",
  },
  "payment-gateway/void": {
    resource: "authorizations",
    holder: "external_gateways",
    urlAttribute: "void_url",
    secretEnv: "COMMERCELAYER_PAYMENT_GATEWAY_SECRET",
  },
  "payment-gateway/refund": {
    resource: "captures",
    holder: "external_gateways",
    urlAttribute: "refund_url",
    secretEnv: "COMMERCELAYER_PAYMENT_GATEWAY_SECRET",
  },
  "payment-gateway/customer-token": {
    // Not documented: the call is named ("create a customer payment token", token_url) but its document is not.
    resource: undefined,
    holder: "external_gateways",
    urlAttribute: "token_url",
    secretEnv: "COMMERCELAYER_PAYMENT_GATEWAY_SECRET",
  },
  "tax-calculator": {
    resource: "orders",
    holder: "external_tax_calculators",
    urlAttribute: "tax_calculator_url",
    secretEnv: "COMMERCELAYER_TAX_CALCULATOR_SECRET",
  },
  prices: {
    resource: "line_items",
    holder: "markets",
    urlAttribute: "external_prices_url",
    secretEnv: "COMMERCELAYER_MARKET_SECRET",
  },
  "shipping-costs": {
    resource: "shipments",
    holder: "shipping_methods",
    urlAttribute: "external_prices_url",
    secretEnv: "COMMERCELAYER_SHIPPING_METHOD_SECRET",
  },
  "order-validation": {
    resource: "orders",
    holder: "markets",
    urlAttribute: "external_order_validation_url",
    secretEnv: "COMMERCELAYER_MARKET_SECRET",
  },
  promotion: {
    resource: "orders",
    holder: "external_promotions",
    urlAttribute: "promotion_url",
    secretEnv: "COMMERCELAYER_PROMOTION_SECRET",
  },
} as const;

export type ExternalKind = keyof typeof EXTERNAL_KINDS;

export const EXTERNAL_KIND_NAMES = Object.keys(EXTERNAL_KINDS) as ExternalKind[];

/** The `data.type` a kind receives; undefined where Commerce Layer does not document it (any type is accepted). */
export type ResourceOfKind<K extends ExternalKind> = (typeof EXTERNAL_KINDS)[K]["resource"];

/** The kind a URL path ends in (`.../payment-gateway/authorize`, `.../tax-calculator`), or undefined. */
export function kindOfPath(path: string): ExternalKind | undefined {
  const trimmed = path.replace(/\/+$/, "");
  return EXTERNAL_KIND_NAMES.find((kind) => trimmed === kind || trimmed.endsWith(`/${kind}`));
}
