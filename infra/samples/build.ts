// Realistic Commerce Layer deliveries for every topic, built from a seed so that the same call gives the same bytes.
// Used by `npm run send`, the local receiver's tests and the platform suites: one source of sample payloads.
import { type RubyFloat, rubyFloat, toRubyJson } from "./ruby-json.ts";

const ORGANIZATION = "the-green-brand";
const API_BASE = `https://${ORGANIZATION}.commercelayer.io/api`;
const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

type Attributes = Record<string, unknown>;

interface SampleResource {
  id: string;
  type: string;
  links: { self: string };
  attributes: Attributes | null;
  relationships: Record<string, { links: { self: string; related: string }; data?: unknown }> | null;
  meta: { mode: "test" | "live"; organization_id: string };
}

export interface SampleOptions {
  /** Include related resources, as a webhook with `include_resources` does. Default true. */
  readonly includes?: boolean;
  /** Changes every id and number, for distinct deliveries of the same topic. Default 1. */
  readonly seed?: number;
}

export interface SampleDelivery {
  readonly topic: string;
  /** The body exactly as Commerce Layer writes it. */
  readonly body: string;
  readonly payload: { data: SampleResource; included?: SampleResource[] };
}

/** Deterministic pseudo-random numbers (mulberry32); the hostile-input battery draws from it too. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class SampleFactory {
  private readonly random: () => number;
  private readonly clock: number;
  constructor(seed: number) {
    this.random = randomSource(seed * 7919 + 17);
    this.clock = Date.UTC(2026, 10, 2, 9, 30, 0) + seed * 60_000;
  }

  id(): string {
    let id = "";
    for (let i = 0; i < 10; i++) id += ID_ALPHABET[Math.floor(this.random() * ID_ALPHABET.length)];
    return id;
  }

  integer(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  time(offsetMinutes = 0): string {
    return new Date(this.clock + offsetMinutes * 60_000).toISOString().replace("Z", "Z");
  }

  /** `<name>_amount_cents`, `<name>_amount_float`, `formatted_<name>_amount`, as Commerce Layer writes amounts. */
  amount(name: string, cents: number, currency = "EUR"): Attributes {
    const float: RubyFloat = rubyFloat(cents / 100);
    const formatted =
      currency === "EUR" ? `€${(cents / 100).toFixed(2).replace(".", ",")}` : `$${(cents / 100).toFixed(2)}`;
    return {
      [`${name}_amount_cents`]: cents,
      [`${name}_amount_float`]: float,
      [`formatted_${name}_amount`]: formatted,
    };
  }

  resource(
    type: string,
    id: string,
    attributes: Attributes | null,
    relationships: string[],
    included: Record<string, unknown> = {},
  ): SampleResource {
    const self = `${API_BASE}/${type}/${id}`;
    const rels: SampleResource["relationships"] = {};
    for (const name of relationships) {
      rels[name] = { links: { self: `${self}/relationships/${name}`, related: `${self}/${name}` } };
      if (name in included) rels[name].data = included[name];
    }
    const common =
      attributes === null
        ? null
        : {
            created_at: this.time(-90),
            updated_at: this.time(),
            reference: null,
            reference_origin: null,
            metadata: {},
            ...attributes,
          };
    return {
      id,
      type,
      links: { self },
      attributes: common,
      relationships: attributes === null ? null : rels,
      meta: { mode: "test", organization_id: "WXlEOFrjnr" },
    };
  }
}

const linkage = (resource: SampleResource) => ({ type: resource.type, id: resource.id });

// --- resources ------------------------------------------------------------------------------------------------

const ORDER_STATUS: Record<string, { status: string; payment: string; fulfillment: string }> = {
  draft: { status: "draft", payment: "unpaid", fulfillment: "unfulfilled" },
  create: { status: "draft", payment: "unpaid", fulfillment: "unfulfilled" },
  pending: { status: "pending", payment: "unpaid", fulfillment: "unfulfilled" },
  place: { status: "placed", payment: "authorized", fulfillment: "unfulfilled" },
  authorize: { status: "placed", payment: "authorized", fulfillment: "unfulfilled" },
  approve: { status: "approved", payment: "authorized", fulfillment: "unfulfilled" },
  pay: { status: "approved", payment: "paid", fulfillment: "unfulfilled" },
  start_fulfilling: { status: "approved", payment: "paid", fulfillment: "in_progress" },
  fulfill: { status: "approved", payment: "paid", fulfillment: "fulfilled" },
  cancel: { status: "cancelled", payment: "voided", fulfillment: "unfulfilled" },
  void: { status: "placed", payment: "voided", fulfillment: "unfulfilled" },
  refund: { status: "approved", payment: "refunded", fulfillment: "fulfilled" },
};

const PRODUCTS = [
  { code: "TSHIRTMM000000FFFFFFXLXX", name: "Organic cotton T-shirt – white", cents: 2900 },
  { code: "BACKPACK818488000000XXXX", name: "Rucksack «Città» 22 L", cents: 8900 },
  { code: "MUGXXXXX000000E63E30XXXX", name: "Café mug 🍵 ceramic", cents: 1490 },
  { code: "CAPXXXXX000000FFFFFFXXXX", name: "Baseball cap – naïve print", cents: 2400 },
  { code: "HOODIEUL000000000000MXXX", name: "Hoodie Ünisex & recycled", cents: 6900 },
  { code: "SOCKXXMM000000E63E30SXXX", name: "Socks (3 pairs) <limited>", cents: 1200 },
];

function customerAttributes(f: SampleFactory, status: string): Attributes {
  return {
    email: `jose.muller+${f.integer(100, 999)}@example.com`,
    status,
    has_password: true,
    total_orders_count: status === "repeat" ? 3 : status === "acquired" ? 1 : 0,
    anonymization_info: null,
    jwt_custom_claim: null,
    metadata: { signup_channel: "shop & app", loyalty_multiplier: rubyFloat(1) },
  };
}

function addressAttributes(f: SampleFactory): Attributes {
  return {
    business: false,
    first_name: "José",
    last_name: "Müller 🛒",
    company: null,
    full_name: "José Müller 🛒",
    line_1: `Via Garibaldi ${f.integer(1, 90)}`,
    line_2: "Scala B – interno 4",
    city: "Città di Castello",
    zip_code: "06012",
    state_code: "PG",
    country_code: "IT",
    phone: "+39 075 555 0101",
    full_address: "Via Garibaldi, 06012 Città di Castello PG (IT) +39 075 555 0101",
    name: "José Müller 🛒, Via Garibaldi, 06012 Città di Castello PG (IT) +39 075 555 0101",
    email: null,
    notes: "Ring twice & leave at the door",
    lat: rubyFloat(43.4571),
    lng: rubyFloat(12.2392),
    is_localized: true,
    is_geocoded: false,
    provider_name: null,
    map_url: null,
    static_map_url: null,
    billing_info: null,
  };
}

function orderAttributes(
  f: SampleFactory,
  event: string,
  items: { cents: number; quantity: number }[],
  includes: boolean,
): Attributes {
  const state = ORDER_STATUS[event] ?? { status: "placed", payment: "authorized", fulfillment: "unfulfilled" };
  const subtotal = items.reduce((sum, item) => sum + item.cents * item.quantity, 0);
  const shipping = 700;
  const discount = -Math.round(subtotal * 0.1);
  const tax = Math.round((subtotal + discount + shipping) * 0.22);
  const total = subtotal + discount + shipping;
  const placed = state.status !== "draft" && state.status !== "pending";
  return {
    number: String(f.integer(28000000, 28999999)),
    affiliate_code: null,
    autorefresh: true,
    place_async: false,
    status: state.status,
    payment_status: state.payment,
    fulfillment_status: state.fulfillment,
    guest: false,
    editable: !placed,
    customer_email: `jose.muller+${f.integer(100, 999)}@example.com`,
    language_code: "it",
    currency_code: "EUR",
    tax_included: true,
    tax_rate: null,
    freight_taxable: null,
    payment_method_taxable: null,
    adjustment_taxable: null,
    gift_card_taxable: null,
    requires_billing_info: false,
    country_code: "IT",
    shipping_country_code_lock: null,
    coupon_code: "WELCOME10",
    gift_card_code: null,
    ...f.amount("subtotal", subtotal),
    ...f.amount("shipping", shipping),
    ...f.amount("payment_method", 0),
    ...f.amount("discount", discount),
    ...f.amount("adjustment", 0),
    ...f.amount("gift_card", 0),
    ...f.amount("total_tax", tax),
    ...f.amount("subtotal_tax", Math.round(subtotal * 0.18)),
    ...f.amount("shipping_tax", 126),
    ...f.amount("payment_method_tax", 0),
    ...f.amount("adjustment_tax", 0),
    ...f.amount("total", total),
    ...f.amount("total_taxable", total - tax),
    ...f.amount("subtotal_taxable", subtotal - Math.round(subtotal * 0.18)),
    ...f.amount("total_amount_with_taxes", total),
    ...f.amount("fees", 0),
    ...f.amount("duty", 0),
    ...f.amount("place_total", total),
    skus_count: items.reduce((sum, item) => sum + item.quantity, 0),
    line_item_options_count: 0,
    shipments_count: includes ? 1 : 1,
    tax_calculations_count: 1,
    validations_count: 0,
    errors_count: 0,
    payment_source_details: placed
      ? {
          type: "stripe_payment",
          payment_method_type: "card",
          payment_method_details: {
            brand: "visa",
            checks: { cvc_check: "pass" },
            exp_month: 12,
            exp_year: 2030,
            last4: "4242",
          },
        }
      : null,
    token: "a5e3c1b0f9d84e7c8b1a2d3e4f5a6b7c",
    cart_url: null,
    return_url: null,
    terms_url: null,
    privacy_url: null,
    checkout_url: null,
    placed_at: placed ? f.time(-5) : null,
    approved_at: state.status === "approved" ? f.time(-1) : null,
    cancelled_at: state.status === "cancelled" ? f.time() : null,
    payment_updated_at: placed ? f.time(-5) : null,
    fulfillment_updated_at: state.fulfillment !== "unfulfilled" ? f.time() : null,
    refreshed_at: f.time(-6),
    archived_at: null,
    subscription_created_at: null,
    circuit_state: "closed",
    circuit_failure_count: 0,
  };
}

function lineItemAttributes(f: SampleFactory, product: (typeof PRODUCTS)[number], quantity: number): Attributes {
  return {
    sku_code: product.code,
    bundle_code: null,
    quantity,
    currency_code: "EUR",
    ...f.amount("unit", product.cents),
    ...f.amount("options", 0),
    ...f.amount("discount", -Math.round(product.cents * quantity * 0.1)),
    ...f.amount("total", product.cents * quantity),
    ...f.amount("tax", Math.round(product.cents * quantity * 0.18)),
    tax_rate: rubyFloat(0.22),
    tax_breakdown: {
      id: f.id(),
      tax_rate: rubyFloat(0.22),
      tax_amount: rubyFloat((product.cents * quantity * 0.18) / 100),
    },
    item_type: "skus",
    frequency: null,
    coupon_code: null,
    circuit_state: "closed",
    circuit_failure_count: 0,
    name: product.name,
    image_url: `https://img.example.com/${product.code}.png`,
    discount_breakdown: { [f.id()]: { cents: -Math.round(product.cents * quantity * 0.1), weight: rubyFloat(0.25) } },
  };
}

function shipmentAttributes(f: SampleFactory, event: string, orderNumber: string): Attributes {
  const statusByEvent: Record<string, string> = {
    create: "draft",
    upcoming: "upcoming",
    cancel: "cancelled",
    on_hold: "on_hold",
    picking: "picking",
    packing: "packing",
    ready_to_ship: "ready_to_ship",
    ship: "shipped",
    deliver: "delivered",
  };
  const status = statusByEvent[event] ?? "upcoming";
  return {
    number: `${orderNumber}/S/001`,
    status,
    currency_code: "EUR",
    ...f.amount("cost", 700),
    skus_count: 3,
    selected_rate_id: null,
    rates: [],
    purchase_error_code: null,
    purchase_error_message: null,
    get_rates_errors: [],
    get_rates_started_at: null,
    get_rates_completed_at: null,
    purchase_started_at: null,
    purchase_completed_at: null,
    purchase_failed_at: null,
    on_hold_at: status === "on_hold" ? f.time() : null,
    picking_at: status === "picking" ? f.time() : null,
    packing_at: status === "packing" ? f.time() : null,
    ready_to_ship_at: status === "ready_to_ship" ? f.time() : null,
    shipped_at: status === "shipped" ? f.time() : null,
    delivered_at: status === "delivered" ? f.time() : null,
  };
}

// --- deliveries -----------------------------------------------------------------------------------------------

function buildOrder(
  f: SampleFactory,
  event: string,
  includes: boolean,
): { data: SampleResource; included: SampleResource[] } {
  const orderId = f.id();
  const items = PRODUCTS.slice(0, 5).map((product, index) => ({ product, quantity: (index % 3) + 1 }));
  const customer = f.resource("customers", f.id(), customerAttributes(f, "repeat"), [
    "customer_group",
    "customer_addresses",
    "orders",
  ]);
  const shipping = f.resource("addresses", f.id(), addressAttributes(f), ["geocoder"]);
  const billing = f.resource("addresses", f.id(), addressAttributes(f), ["geocoder"]);
  const market = f.resource(
    "markets",
    f.id(),
    {
      number: 401,
      name: "Europe 🇪🇺",
      code: "EU",
      facebook_pixel_id: null,
      checkout_url: "",
      external_prices_url: null,
      private: false,
    },
    ["merchant", "price_list", "inventory_model"],
  );
  const paymentMethod = f.resource(
    "payment_methods",
    f.id(),
    {
      name: "Stripe – card",
      payment_source_type: "stripe_payments",
      currency_code: "EUR",
      moto: false,
      require_capture: true,
      auto_place: false,
      auto_capture: false,
      ...f.amount("price", 0),
    },
    ["market", "payment_gateway"],
  );
  const shippingMethod = f.resource(
    "shipping_methods",
    f.id(),
    {
      name: "Standard (2–3 days)",
      scheme: "flat",
      currency_code: "EUR",
      ...f.amount("price", 700),
      ...f.amount("free_over", 9900),
      min_weight: rubyFloat(0),
      max_weight: null,
      unit_of_weight: "gr",
    },
    ["market", "shipping_zone"],
  );
  const stockLocation = f.resource(
    "stock_locations",
    f.id(),
    { number: 3, name: "Magazzino Milano", code: "MI-1", label_format: "PDF", suppress_etd: false },
    ["address", "inventory_stock_locations"],
  );
  const lineItems = items.map(({ product, quantity }) =>
    f.resource(
      "line_items",
      f.id(),
      lineItemAttributes(f, product, quantity),
      ["order", "item", "sku", "line_item_options", "shipment_line_items", "stock_line_items"],
      { order: { type: "orders", id: orderId } },
    ),
  );
  const orderAttrs = orderAttributes(
    f,
    event,
    items.map(({ product, quantity }) => ({ cents: product.cents, quantity })),
    includes,
  );
  const shipment = f.resource(
    "shipments",
    f.id(),
    shipmentAttributes(f, "upcoming", String(orderAttrs.number)),
    ["order", "shipping_method", "stock_location", "origin_address", "shipping_address", "parcels", "stock_line_items"],
    {
      order: { type: "orders", id: orderId },
      shipping_method: linkage(shippingMethod),
      stock_location: linkage(stockLocation),
      shipping_address: linkage(shipping),
    },
  );
  const paymentSource = f.resource(
    "stripe_payments",
    f.id(),
    {
      client_secret: null,
      publishable_key: null,
      options: {},
      payment_method: { id: "pm_1QAbCdEfGh" },
      mismatched_amounts: false,
      intent_amount_cents: orderAttrs.total_amount_cents,
      return_url: null,
      payment_instrument: { issuer_type: "card", card_type: "visa" },
    },
    ["order", "payment_gateway"],
    { order: { type: "orders", id: orderId } },
  );
  const included = [
    customer,
    shipping,
    billing,
    market,
    paymentMethod,
    paymentSource,
    shippingMethod,
    stockLocation,
    shipment,
    ...lineItems,
  ];
  const relNames = [
    "market",
    "customer",
    "shipping_address",
    "billing_address",
    "available_payment_methods",
    "available_customer_payment_sources",
    "available_free_skus",
    "available_free_bundles",
    "payment_method",
    "payment_source",
    "line_items",
    "line_item_options",
    "stock_reservations",
    "stock_line_items",
    "stock_transfers",
    "shipments",
    "transactions",
    "authorizations",
    "captures",
    "voids",
    "refunds",
    "returns",
    "order_subscription",
    "order_factories",
    "order_copies",
    "recurring_order_copies",
    "attachments",
    "links",
    "resource_errors",
    "events",
    "tags",
    "versions",
  ];
  const data = f.resource(
    "orders",
    orderId,
    orderAttrs,
    relNames,
    includes
      ? {
          market: linkage(market),
          customer: linkage(customer),
          shipping_address: linkage(shipping),
          billing_address: linkage(billing),
          payment_method: linkage(paymentMethod),
          payment_source: linkage(paymentSource),
          line_items: lineItems.map(linkage),
          shipments: [linkage(shipment)],
        }
      : {},
  );
  // Commerce Layer does not promise an order for `included`; rotate it so nothing can rely on positions.
  return { data, included: includes ? [...included.slice(3), ...included.slice(0, 3)] : [] };
}

function buildGeneric(
  f: SampleFactory,
  resource: string,
  event: string,
  includes: boolean,
): { data: SampleResource; included: SampleResource[] } {
  switch (resource) {
    case "orders":
      return buildOrder(f, event, includes);
    case "customers": {
      const status = event === "repeat" ? "repeat" : event === "acquired" ? "acquired" : "prospect";
      const group = f.resource("customer_groups", f.id(), { name: "VIP – Ünited", code: "VIP" }, [
        "customers",
        "markets",
      ]);
      const data = f.resource(
        "customers",
        f.id(),
        customerAttributes(f, status),
        [
          "customer_group",
          "customer_addresses",
          "customer_payment_sources",
          "customer_subscriptions",
          "orders",
          "order_subscriptions",
          "returns",
          "sku_lists",
          "attachments",
          "events",
          "tags",
        ],
        includes ? { customer_group: linkage(group) } : {},
      );
      return { data, included: includes ? [group] : [] };
    }
    case "shipments": {
      const order = buildOrder(f, "approve", false).data;
      const stockLocation = f.resource(
        "stock_locations",
        f.id(),
        { number: 3, name: "Magazzino Milano", code: "MI-1", label_format: "PDF", suppress_etd: false },
        ["address"],
      );
      const parcel = f.resource(
        "parcels",
        f.id(),
        parcelAttributes(f, "create"),
        ["shipment", "package", "parcel_line_items"],
        {},
      );
      const data = f.resource(
        "shipments",
        f.id(),
        shipmentAttributes(f, event, String((order.attributes as Attributes).number)),
        [
          "order",
          "shipping_category",
          "inventory_stock_location",
          "transfers",
          "stock_location",
          "origin_address",
          "shipping_address",
          "shipping_method",
          "delivery_lead_time",
          "pickup",
          "stock_line_items",
          "stock_transfers",
          "line_items",
          "available_shipping_methods",
          "carrier_accounts",
          "parcels",
          "attachments",
          "events",
          "tags",
          "versions",
        ],
        includes ? { order: linkage(order), stock_location: linkage(stockLocation), parcels: [linkage(parcel)] } : {},
      );
      // The parcel points back at the shipment: a cycle in `included`, as real deliveries have.
      if (includes && parcel.relationships?.shipment) parcel.relationships.shipment.data = linkage(data);
      return { data, included: includes ? [order, stockLocation, parcel] : [] };
    }
    case "parcels":
      return {
        data: f.resource("parcels", f.id(), parcelAttributes(f, event), [
          "shipment",
          "package",
          "parcel_line_items",
          "attachments",
          "events",
          "versions",
        ]),
        included: [],
      };
    case "imports":
      return { data: f.resource("imports", f.id(), importAttributes(f, event), ["events"]), included: [] };
    case "customer_subscriptions":
      return {
        data: f.resource("customer_subscriptions", f.id(), { customer_email: "newsletter.reader@example.com" }, [
          "customer",
          "events",
        ]),
        included: [],
      };
    case "customer_password_resets":
      return {
        data: f.resource(
          "customer_password_resets",
          f.id(),
          {
            customer_email: "forgetful.user@example.com",
            reset_password_token: "b7f1c2d3e4",
            reset_password_at: event === "reset_password" ? f.time() : null,
          },
          ["customer", "events"],
        ),
        included: [],
      };
    default:
      // A resource without a dedicated sample: the common attributes of every Commerce Layer resource.
      return {
        data: f.resource(resource, f.id(), { name: `Sample ${resource.replaceAll("_", " ")}` }, ["events"]),
        included: [],
      };
  }
}

function parcelAttributes(f: SampleFactory, event: string): Attributes {
  return {
    number: `#${f.integer(1000, 9999)}`,
    currency_code: "EUR",
    weight: rubyFloat(1200),
    unit_of_weight: "gr",
    eel_pfc: null,
    contents_type: "merchandise",
    contents_explanation: null,
    customs_certify: false,
    customs_signer: null,
    non_delivery_option: "return",
    restriction_type: "none",
    restriction_comments: null,
    customs_info_required: false,
    shipping_label_url: null,
    shipping_label_file_type: null,
    shipping_label_size: null,
    shipping_label_resolution: null,
    tracking_number: event === "create" ? null : "1Z999AA10123456784",
    tracking_status: event === "create" ? null : "in_transit",
    tracking_status_detail: null,
    tracking_status_updated_at: null,
    tracking_details: null,
    carrier_weight_oz: null,
    signed_by: null,
    incoterm: null,
    delivery_confirmation: null,
  };
}

function importAttributes(f: SampleFactory, event: string): Attributes {
  const status = event === "complete" ? "completed" : event === "start" ? "in_progress" : "pending";
  return {
    resource_type: "skus",
    format: "csv",
    parent_resource_id: null,
    status,
    started_at: status === "pending" ? null : f.time(-3),
    completed_at: status === "completed" ? f.time() : null,
    interrupted_at: null,
    inputs_size: 120,
    errors_count: status === "completed" ? 2 : null,
    warnings_count: 0,
    processed_count: status === "completed" ? 118 : 0,
    errors_log: status === "completed" ? { "SKU-42": { name: ["can't be blank"] } } : {},
    warnings_log: {},
    cleanup_records: false,
    attachment_url: "https://imports.example.com/skus.csv",
  };
}

/** A delivery for any topic: a dedicated sample for the original topics, a generic one of the right type otherwise. */
export function buildSampleDelivery(topic: string, options: SampleOptions = {}): SampleDelivery {
  const [resource = "", event = ""] = topic.split(".");
  const factory = new SampleFactory(options.seed ?? 1);
  const includes = options.includes ?? true;
  if (event === "destroy") {
    // `.destroy` deliveries carry only the id.
    const data = factory.resource(resource, factory.id(), null, []);
    const payload = { data };
    return { topic, body: toRubyJson(payload), payload };
  }
  const built = buildGeneric(factory, resource, event, includes);
  const payload = built.included.length > 0 ? { data: built.data, included: built.included } : { data: built.data };
  return { topic, body: toRubyJson(payload), payload };
}
