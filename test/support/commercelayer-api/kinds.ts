// The resource types the stand-in's API serves, each stated once as data: its attributes, what a client may write,
// its triggers, its relationships and its methods. One collection implementation (api-routes.ts, store.ts) serves
// them all; a type not listed here exists only as a seeded resource that deliveries include.

export interface RelationshipSpec {
  /** The type it points at (the stand-in never needs the polymorphic ones). */
  readonly type: string;
  readonly many: boolean;
}

export type Method = "list" | "read" | "create" | "update" | "delete";

export interface ResourceKind {
  readonly type: string;
  /** Attributes in the order documents show them; the common ones (timestamps, reference, metadata) follow. */
  readonly attributes: readonly string[];
  /** What a client may send on create and update, the common writable ones included. */
  readonly writable: readonly string[];
  readonly requiredOnCreate: readonly string[];
  /** `_disable`, `_reset_circuit`, ...: PATCH attributes set to `true` that act instead of being stored. */
  readonly triggers: readonly string[];
  readonly relationships: Readonly<Record<string, RelationshipSpec>>;
  /** Attributes a filter may not name (the API's field metadata: a webhook's callback_url is not filterable). */
  readonly unfilterable: readonly string[];
  /** Attributes `sort` may name besides id and the common ones (the API's field metadata, as the SDK's `*Sort` types). */
  readonly sortable: readonly string[];
  readonly methods: readonly Method[];
  /** The URL attributes Commerce Layer calls out to (external resources), signed with `shared_secret`. */
  readonly callUrls: readonly string[];
  /** Whether the resource has `circuit_state` and `circuit_failure_count`. */
  readonly circuit: boolean;
  /** The API's field metadata: a webhook's name is unique, "optional, default is 'Webhook {id}'". */
  readonly uniqueName?: boolean;
  readonly defaultName?: (id: string) => string;
}

/** Attributes every resource carries. */
export const COMMON_ATTRIBUTES = ["created_at", "updated_at", "reference", "reference_origin", "metadata"] as const;
/** What every resource sorts on. */
export const COMMON_SORTABLE = ["id", "created_at", "updated_at", "reference", "reference_origin"] as const;
const COMMON_WRITABLE = ["reference", "reference_origin", "metadata"] as const;

const EVENT_STORES: RelationshipSpec = { type: "event_stores", many: true };

function kind(spec: Partial<ResourceKind> & Pick<ResourceKind, "type" | "attributes" | "methods">): ResourceKind {
  return {
    writable: [],
    requiredOnCreate: [],
    triggers: [],
    relationships: { event_stores: EVENT_STORES },
    unfilterable: ["shared_secret"],
    sortable: [],
    callUrls: [],
    circuit: false,
    ...spec,
  };
}

const CIRCUIT_ATTRIBUTES = ["circuit_state", "circuit_failure_count"] as const;

/**
 * An external resource: seeded by the test (the control API), then read, listed and updated through the API as
 * Commerce Layer's other callers of URLs are. `shared_secret` is server-set; `_regenerate_shared_secret` appears in
 * the API's field metadata for all five (unverified: the stand-in answers it with a new secret).
 */
function externalKind(
  type: string,
  options: {
    urls: readonly string[];
    circuit: boolean;
    disable: boolean;
    more?: readonly string[];
    sortable?: readonly string[];
  },
): ResourceKind {
  const attributes = [
    "name",
    ...(options.more ?? []),
    ...(options.disable ? ["disabled_at"] : []),
    ...(options.circuit ? CIRCUIT_ATTRIBUTES : []),
    "shared_secret",
    "external_includes",
    ...options.urls,
  ];
  return kind({
    type,
    attributes,
    writable: ["name", ...(options.more ?? []), "external_includes", ...options.urls, ...COMMON_WRITABLE],
    triggers: [
      ...(options.disable ? ["_disable", "_enable"] : []),
      ...(options.circuit ? ["_reset_circuit"] : []),
      "_regenerate_shared_secret",
    ],
    unfilterable: ["shared_secret", "external_includes", ...options.urls],
    sortable: [
      "name",
      ...(options.sortable ?? []),
      ...(options.disable ? ["disabled_at"] : []),
      ...(options.circuit ? CIRCUIT_ATTRIBUTES : []),
    ],
    methods: ["list", "read", "update"],
    callUrls: options.urls,
    circuit: options.circuit,
  });
}

export const KINDS: Readonly<Record<string, ResourceKind>> = {
  webhooks: kind({
    type: "webhooks",
    attributes: [
      "name",
      "topic",
      "callback_url",
      "include_resources",
      "disabled_at",
      ...CIRCUIT_ATTRIBUTES,
      "shared_secret",
    ],
    writable: ["name", "topic", "callback_url", "include_resources", ...COMMON_WRITABLE],
    requiredOnCreate: ["topic", "callback_url"],
    triggers: ["_disable", "_enable", "_reset_circuit", "_regenerate_shared_secret"],
    relationships: { last_event_callbacks: { type: "event_callbacks", many: true }, event_stores: EVENT_STORES },
    unfilterable: ["callback_url", "include_resources", "shared_secret"],
    sortable: ["disabled_at", ...CIRCUIT_ATTRIBUTES],
    methods: ["list", "read", "create", "update", "delete"],
    callUrls: ["callback_url"],
    circuit: true,
    uniqueName: true,
    defaultName: (id) => `Webhook ${id}`,
  }),
  event_callbacks: kind({
    type: "event_callbacks",
    attributes: ["callback_url", "payload", "response_code", "response_message"],
    relationships: { webhook: { type: "webhooks", many: false }, event_stores: EVENT_STORES },
    unfilterable: ["payload"],
    sortable: ["response_code", "response_message"],
    methods: ["list", "read"],
  }),
  events: kind({
    type: "events",
    attributes: ["name"],
    triggers: ["_trigger"],
    relationships: {
      webhooks: { type: "webhooks", many: true },
      last_event_callbacks: { type: "event_callbacks", many: true },
      event_stores: EVENT_STORES,
    },
    sortable: ["name"],
    methods: ["list", "read", "update"],
  }),
  external_gateways: externalKind("external_gateways", {
    urls: ["authorize_url", "capture_url", "void_url", "refund_url", "token_url"],
    circuit: true,
    disable: true,
  }),
  external_tax_calculators: externalKind("external_tax_calculators", {
    urls: ["tax_calculator_url"],
    circuit: true,
    disable: false,
  }),
  markets: externalKind("markets", {
    urls: ["external_prices_url", "external_order_validation_url"],
    circuit: false,
    disable: true,
    more: ["code"],
    sortable: ["code"],
  }),
  shipping_methods: externalKind("shipping_methods", {
    urls: ["external_prices_url"],
    circuit: true,
    disable: true,
    more: ["scheme"],
    sortable: ["scheme"],
  }),
  external_promotions: externalKind("external_promotions", {
    urls: ["promotion_url"],
    circuit: true,
    disable: true,
  }),
};

/** The external resources: the kinds that hold URLs Commerce Layer calls and a secret to sign them. */
export const EXTERNAL_TYPES = Object.values(KINDS)
  .filter((k) => k.type !== "webhooks" && k.callUrls.length > 0)
  .map((k) => k.type);

export function kindOf(type: string): ResourceKind | undefined {
  return Object.hasOwn(KINDS, type) ? KINDS[type] : undefined;
}
