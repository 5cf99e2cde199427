// Realistic external-resource calls, one per kind: the JSON:API document Commerce Layer POSTs (its `data` resource
// type, the relationships each kind's docs say are included, Ruby-style compact JSON with `25.0` floats), built from a
// seed so that the same call gives the same bytes. Used by `npm run send -- --external <kind>` and its tests.
//
// Built on the order of infra/samples/build.ts (the webhook samples): the same order, line items, addresses and
// market, plus the SKUs the line items point at (`line_items.item`) and the kind's own resource.
import { EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { buildSampleDelivery, randomSource } from "./build.ts";
import { rubyFloat, toRubyJson } from "./ruby-json.ts";

type Attributes = Record<string, unknown>;
type Linkage = { type: string; id: string };
interface Resource {
  id: string;
  type: string;
  links: { self: string };
  attributes: Attributes | null;
  relationships: Record<string, { links: { self: string; related: string }; data?: unknown }> | null;
  meta: { mode: "test" | "live"; organization_id: string };
}

export interface ExternalSample {
  readonly kind: ExternalKind;
  /** The body exactly as Commerce Layer writes it. */
  readonly body: string;
  readonly payload: { data: Resource; included: Resource[] };
}

const PAYMENT_INCLUDES = [
  "order",
  "order.market",
  "order.line_items",
  "order.line_items.item",
  "order.shipping_address",
  "order.billing_address",
  "order.customer",
];

/** What each kind's sample includes besides `data` (as the kind's page of the docs lists it). */
export const EXTERNAL_SAMPLE_INCLUDES: Readonly<Record<ExternalKind, readonly string[]>> = {
  "payment-gateway/authorize": PAYMENT_INCLUDES,
  "payment-gateway/capture": PAYMENT_INCLUDES,
  "payment-gateway/void": PAYMENT_INCLUDES,
  "payment-gateway/refund": PAYMENT_INCLUDES,
  "payment-gateway/customer-token": PAYMENT_INCLUDES,
  "tax-calculator": ["market", "line_items", "line_items.item", "shipping_address", "billing_address"],
  prices: ["order", "order.market", "item"],
  "shipping-costs": ["order", "shipping_method", "stock_location", "shipping_address"],
  "order-validation": ["billing_address", "shipping_address", "line_items", "line_items.item", "market", "customer"],
  promotion: ["market", "line_items", "line_items.item", "shipping_address", "billing_address"],
};

/** The price the demo prices handler reads from each sample SKU's metadata (functions/external-demo.ts). */
const SKU_PRICE_METADATA = "unit_amount_cents";

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

class Ids {
  private readonly random: () => number;
  constructor(seed: number) {
    this.random = randomSource(seed * 104_729 + 3);
  }
  next(): string {
    let id = "";
    for (let i = 0; i < 10; i++) id += ID_ALPHABET[Math.floor(this.random() * ID_ALPHABET.length)];
    return id;
  }
}

const linkage = (resource: Resource): Linkage => ({ type: resource.type, id: resource.id });

/** A resource shaped as the order sample's are (links, meta, the common attributes). */
function resource(
  template: Resource,
  type: string,
  id: string,
  attributes: Attributes,
  relationships: Record<string, Linkage | Linkage[] | undefined>,
): Resource {
  const self = template.links.self.replace(/\/[^/]+\/[^/]+$/, `/${type}/${id}`);
  const rels: NonNullable<Resource["relationships"]> = {};
  for (const [name, data] of Object.entries(relationships)) {
    rels[name] = { links: { self: `${self}/relationships/${name}`, related: `${self}/${name}` } };
    if (data !== undefined) rels[name].data = data;
  }
  const common = template.attributes ?? {};
  return {
    id,
    type,
    links: { self },
    attributes: {
      created_at: common.created_at,
      updated_at: common.updated_at,
      reference: null,
      reference_origin: null,
      metadata: {},
      ...attributes,
    },
    relationships: rels,
    meta: template.meta,
  };
}

/** A relationship's data is written only when its resource is included, as the API does for `include`. */
function keepLinkagesTo(resource: Resource, included: readonly Resource[]): Resource {
  const present = new Set(included.map((item) => `${item.type}/${item.id}`));
  const isPresent = (value: unknown) => {
    const { type, id } = value as Linkage;
    return present.has(`${type}/${id}`);
  };
  const rels: NonNullable<Resource["relationships"]> = {};
  for (const [name, relationship] of Object.entries(resource.relationships ?? {})) {
    const { data, ...rest } = relationship;
    const kept = Array.isArray(data) ? data.every(isPresent) : data !== undefined && isPresent(data);
    rels[name] = kept ? relationship : rest;
  }
  return { ...resource, relationships: rels };
}

interface OrderWorld {
  order: Resource;
  byType: (type: string) => Resource[];
  skus: Resource[];
  template: Resource;
  ids: Ids;
}

function orderWorld(seed: number): OrderWorld {
  const delivery = buildSampleDelivery("orders.place", { seed });
  const order = delivery.payload.data as Resource;
  const included = (delivery.payload.included ?? []) as Resource[];
  const ids = new Ids(seed);
  // The API's names for the total with taxes (the webhook samples spell it `total_amount_with_taxes_amount_*`).
  const attributes = order.attributes ?? {};
  const withTaxes = Number(attributes.total_amount_cents);
  Object.assign(attributes, {
    total_amount_with_taxes_cents: withTaxes,
    total_amount_with_taxes_float: rubyFloat(withTaxes / 100),
    formatted_total_amount_with_taxes: attributes.formatted_total_amount,
  });
  const byType = (type: string) => included.filter((item) => item.type === type);
  // `line_items.item`: the SKUs, each with the price the demo reads from its metadata.
  const skus = byType("line_items").map((line, index) => {
    const attributes = line.attributes ?? {};
    const sku = resource(
      order,
      "skus",
      ids.next(),
      {
        code: attributes.sku_code,
        name: attributes.name,
        description: `${String(attributes.name)}: demo catalogue entry`,
        image_url: attributes.image_url,
        pieces_per_pack: null,
        weight: rubyFloat(250 + index * 50),
        unit_of_weight: "gr",
        hs_tariff_number: "6109100010",
        do_not_ship: false,
        do_not_track: false,
        jwt_custom_claim: null,
        metadata: { [SKU_PRICE_METADATA]: 2500 + index * 100, season: "FW26" },
      },
      { shipping_category: undefined, prices: undefined, stock_items: undefined, attachments: undefined },
    );
    if (line.relationships?.item) line.relationships.item.data = linkage(sku);
    if (line.relationships?.sku) line.relationships.sku.data = linkage(sku);
    return sku;
  });
  return { order, byType, skus, template: order, ids };
}

/** The order and what its relationships point at, for the order-based kinds and as the payments' `order`. */
function orderAndIncludes(world: OrderWorld, withCustomer: boolean): Resource[] {
  const { byType } = world;
  return [
    ...byType("markets"),
    ...byType("line_items"),
    ...world.skus,
    ...byType("addresses"),
    ...(withCustomer ? byType("customers") : []),
  ];
}

function payment(world: OrderWorld, kind: ExternalKind): { data: Resource; included: Resource[] } {
  const { order, template, ids } = world;
  const orderAttributes = order.attributes ?? {};
  const total = Number(orderAttributes.total_amount_with_taxes_cents);
  const amount = {
    amount_cents: total,
    amount_float: rubyFloat(total / 100),
    formatted_amount: orderAttributes.formatted_total_amount,
  };
  const number = `${String(orderAttributes.number)}/T/001`;
  const transaction = (type: string, attributes: Attributes) =>
    resource(
      template,
      type,
      ids.next(),
      {
        number,
        payment_method_type: "ExternalPayment",
        currency_code: "EUR",
        ...amount,
        succeeded: true,
        message: "Accepted",
        error_code: null,
        error_detail: null,
        token: `demo_authorize_${ids.next()}`,
        gateway_transaction_id: `gw_${ids.next()}`,
        ...attributes,
      },
      {
        order: linkage(order),
        payment_source: undefined,
        attachments: undefined,
        events: undefined,
        versions: undefined,
      },
    );
  let data: Resource;
  if (kind === "payment-gateway/capture" || kind === "payment-gateway/void")
    data = transaction("authorizations", {
      cvv_code: "M",
      cvv_message: "match",
      avs_code: "Y",
      avs_message: "match",
      fraud_review: null,
      capture_amount_cents: 0,
      capture_balance_cents: total,
      void_balance_cents: total,
    });
  else if (kind === "payment-gateway/refund")
    data = transaction("captures", { refund_amount_cents: 0, refund_balance_cents: total });
  else {
    data = resource(
      template,
      "external_payments",
      ids.next(),
      {
        payment_source_token: `tok_demo_${ids.next()}`,
        // The demo's asynchronous example: an authorization asked with options.async is answered 202 (pending).
        options: kind === "payment-gateway/authorize" ? { async: true } : {},
        payment_instrument: { issuer_type: "card", card_type: "visa", last4: "4242" },
      },
      { order: linkage(order), payment_gateway: undefined, wallet: undefined, versions: undefined },
    );
    if (order.relationships?.payment_source) order.relationships.payment_source.data = linkage(data);
  }
  const included = [order, ...orderAndIncludes(world, true)];
  return { data, included: [...included.slice(1), keepLinkagesTo(order, [...included, data])] };
}

function build(kind: ExternalKind, world: OrderWorld): { data: Resource; included: Resource[] } {
  const { order, byType } = world;
  switch (kind) {
    case "payment-gateway/authorize":
    case "payment-gateway/capture":
    case "payment-gateway/void":
    case "payment-gateway/refund":
    case "payment-gateway/customer-token":
      return payment(world, kind);
    case "tax-calculator":
    case "promotion":
    case "order-validation": {
      const included = orderAndIncludes(world, kind === "order-validation");
      return { data: keepLinkagesTo(order, included), included };
    }
    case "prices": {
      const [line] = byType("line_items") as [Resource];
      const sku = world.skus[0] as Resource;
      const included = [order, ...byType("markets"), sku];
      const trimmed = keepLinkagesTo(order, included);
      return { data: keepLinkagesTo(line, included), included: [trimmed, ...included.slice(1)] };
    }
    case "shipping-costs": {
      const [shipment] = byType("shipments") as [Resource];
      // The method whose cost is asked for is an external one: scheme `external`, with its URL.
      for (const method of byType("shipping_methods"))
        Object.assign(method.attributes ?? {}, {
          scheme: "external",
          external_prices_url: "https://example.com/api/external/shipping-costs",
          circuit_state: "closed",
          circuit_failure_count: 0,
        });
      const included = [order, ...byType("shipping_methods"), ...byType("stock_locations"), ...byType("addresses")];
      const trimmed = keepLinkagesTo(order, included);
      return { data: keepLinkagesTo(shipment, included), included: [trimmed, ...included.slice(1)] };
    }
  }
}

/** The call Commerce Layer makes for `kind`; the same seed gives the same bytes. */
export function buildExternalSample(kind: ExternalKind, options: { readonly seed?: number } = {}): ExternalSample {
  const { data, included } = build(kind, orderWorld(options.seed ?? 1));
  const expected = EXTERNAL_KINDS[kind].resource;
  if (expected !== undefined && data.type !== expected) throw new Error(`sample for ${kind} is ${data.type}`);
  const payload = { data, included };
  const body = toRubyJson(payload);
  JSON.parse(body); // a NaN or an undefined number would be no JSON: fail here, not at the receiver
  return { kind, body, payload };
}
