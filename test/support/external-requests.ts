// Signed external-resource calls as Commerce Layer sends them: a JSON:API document of the kind's resource with the
// includes that kind gets (docs/external-resources.md), serialised Ruby-style (compact, `25.0` floats) and signed
// with the secret of the Commerce Layer resource that holds the kind's URL. Built here, for the suites only.

import { rubyFloat, toRubyJson } from "../../infra/samples/ruby-json.ts";
import { EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import type { ExternalSecretEnv } from "../../shared/external/receiver.ts";
import { signPayload } from "../../shared/node/signature.ts";

/** A distinct secret per variable, so that a call signed with another resource's secret can be told apart. */
export const EXTERNAL_SECRETS: Readonly<Record<ExternalSecretEnv, string>> = {
  COMMERCELAYER_PAYMENT_GATEWAY_SECRET: "gw-secret-0a1b",
  COMMERCELAYER_TAX_CALCULATOR_SECRET: "tax-secret-2c3d",
  COMMERCELAYER_MARKET_SECRET: "market-secret-4e5f",
  COMMERCELAYER_SHIPPING_METHOD_SECRET: "shipping-secret-6a7b",
  COMMERCELAYER_PROMOTION_SECRET: "promo-secret-8c9d",
};

export const SECRET_VARIABLES = Object.keys(EXTERNAL_SECRETS) as ExternalSecretEnv[];

export const secretOf = (kind: ExternalKind): string => EXTERNAL_SECRETS[EXTERNAL_KINDS[kind].secretEnv];

/** The path a kind is served on in the suites: any prefix, ending in the kind. */
export const pathOf = (kind: ExternalKind): string => `/api/external/${kind}`;

const ref = (type: string, id: string) => ({ data: { type, id } });
const refs = (type: string, ids: string[]) => ({ data: ids.map((id) => ({ type, id })) });

const LINE_ITEMS = [
  { id: "li_1", sku: "sku_1", code: "TSHIRTMM000000FFFFFFXLXX", quantity: 2, cents: 2500 },
  { id: "li_2", sku: "sku_2", code: "MUGXXXXX000000FFFFFFXXXX", quantity: 1, cents: 1250 },
];
/** 2 x 25.00 + 1 x 12.50. */
export const ORDER_SUBTOTAL_CENTS = 6250;
export const ORDER_TOTAL_CENTS = 7625;

const order = {
  id: "ord_xYz1",
  type: "orders",
  attributes: {
    number: "2485862",
    status: "placed",
    currency_code: "EUR",
    subtotal_amount_cents: ORDER_SUBTOTAL_CENTS,
    subtotal_amount_float: rubyFloat(62.5),
    total_amount_cents: ORDER_TOTAL_CENTS,
    total_amount_float: rubyFloat(76.25),
    total_amount_with_taxes_cents: ORDER_TOTAL_CENTS,
    shipping_amount_float: rubyFloat(0),
    customer_email: "jane@example.com",
    metadata: {},
  },
  relationships: {
    market: ref("markets", "mkt_1"),
    line_items: refs(
      "line_items",
      LINE_ITEMS.map((line) => line.id),
    ),
    shipping_address: ref("addresses", "adr_ship"),
    billing_address: ref("addresses", "adr_bill"),
    customer: ref("customers", "cus_1"),
  },
};

const lineItems = LINE_ITEMS.map((line) => ({
  id: line.id,
  type: "line_items",
  attributes: {
    sku_code: line.code,
    quantity: line.quantity,
    unit_amount_cents: line.cents,
    unit_amount_float: rubyFloat(line.cents / 100),
    total_amount_cents: line.cents * line.quantity,
    total_amount_float: rubyFloat((line.cents * line.quantity) / 100),
    item_type: "skus",
  },
  relationships: { order: ref("orders", order.id), item: ref("skus", line.sku) },
}));

const skus = LINE_ITEMS.map((line) => ({
  id: line.sku,
  type: "skus",
  attributes: { code: line.code, name: `Item ${line.code.slice(0, 6)}` },
}));
const market = { id: "mkt_1", type: "markets", attributes: { name: "Europe", number: 401 } };
const address = (id: string, city: string) => ({
  id,
  type: "addresses",
  attributes: {
    first_name: "Jane",
    last_name: "Doe",
    city,
    country_code: "IT",
    zip_code: "50121",
    lat: rubyFloat(43.77),
  },
});
const addresses = [address("adr_ship", "Firenze"), address("adr_bill", "Milano")];
const customer = { id: "cus_1", type: "customers", attributes: { email: "jane@example.com" } };
const orderIncludes = [order, market, ...lineItems, ...skus, ...addresses];

/** The document a kind receives, `data` being its resource with id `id`. */
export function externalDocument(kind: ExternalKind, id = `${EXTERNAL_KINDS[kind].resource ?? "x"}_1`): unknown {
  const toOrder = { order: ref("orders", order.id) };
  switch (kind) {
    case "payment-gateway/authorize":
      return {
        data: {
          id,
          type: "external_payments",
          attributes: { payment_source_token: "pst_42", options: {}, metadata: {} },
          relationships: toOrder,
        },
        included: orderIncludes,
      };
    case "payment-gateway/capture":
    case "payment-gateway/void":
    case "payment-gateway/refund":
      return {
        data: {
          id,
          type: EXTERNAL_KINDS[kind].resource,
          attributes: {
            number: "2485862/T/001",
            amount_cents: ORDER_TOTAL_CENTS,
            amount_float: rubyFloat(76.25),
            transaction_token: "auth_xpay_1",
            succeeded: true,
          },
          relationships: toOrder,
        },
        included: orderIncludes,
      };
    case "payment-gateway/customer-token":
      return {
        data: {
          id,
          type: "customer_payment_sources",
          attributes: {},
          relationships: { customer: ref("customers", "cus_1") },
        },
        included: [customer],
      };
    case "tax-calculator":
    case "promotion":
      return { data: { ...order, id }, included: [market, ...lineItems, ...skus, ...addresses] };
    case "order-validation":
      return { data: { ...order, id }, included: [market, ...lineItems, ...skus, ...addresses, customer] };
    case "prices": {
      const line = lineItems[0];
      return { data: { ...line, id }, included: [order, market, ...skus] };
    }
    case "shipping-costs":
      return {
        data: {
          id,
          type: "shipments",
          attributes: { number: "2485862/S/001", status: "draft", cost_amount_float: rubyFloat(0) },
          relationships: { order: ref("orders", order.id), shipping_method: ref("shipping_methods", "shm_1") },
        },
        included: [
          order,
          ...lineItems,
          { id: "shm_1", type: "shipping_methods", attributes: { name: "Express", scheme: "external" } },
        ],
      };
  }
}

export interface ExternalCall {
  readonly kind: ExternalKind;
  readonly path: string;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

/** A call as Commerce Layer makes it: the Ruby-style body signed with `secret` (default: the kind's own). */
export function signedExternalCall(
  kind: ExternalKind,
  options: { id?: string; secret?: string; body?: string | Buffer } = {},
): ExternalCall {
  const body = Buffer.from(options.body ?? toRubyJson(externalDocument(kind, options.id)));
  return {
    kind,
    path: pathOf(kind),
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "CommerceLayer Module",
      "x-commercelayer-signature": signPayload(body, options.secret ?? secretOf(kind)),
    },
  };
}

/** Every kind's secret as its environment variable, for vi.stubEnv. */
export function externalSecretEnv(): Record<string, string> {
  return { ...EXTERNAL_SECRETS };
}
