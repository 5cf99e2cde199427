// The JSON:API document Commerce Layer delivers. Attribute types come from @commercelayer/sdk (type-only imports:
// nothing of the SDK reaches a bundle).
import type {
  Address,
  Customer,
  CustomerPasswordReset,
  CustomerSubscription,
  Import,
  LineItem,
  Order,
  Parcel,
  PaymentMethod,
  Shipment,
  ShippingMethod,
  Sku,
  StockLocation,
} from "@commercelayer/sdk";
import type { ResourceOf } from "./topic.ts";

export interface ResourceIdentifier {
  readonly type: string;
  readonly id: string;
}

export interface Relationship {
  readonly links?: { readonly self?: string; readonly related?: string };
  /** Present only when the webhook's `include_resources` included this relationship. */
  readonly data?: ResourceIdentifier | readonly ResourceIdentifier[] | null;
}

export interface ResourceMeta {
  readonly mode?: "test" | "live";
  readonly organization_id?: string;
  readonly [key: string]: unknown;
}

export interface JsonApiResource<Type extends string = string, Attributes = Record<string, unknown>> {
  readonly id: string;
  readonly type: Type;
  readonly links?: { readonly self?: string };
  /** `.destroy` deliveries carry only the id: attributes may be null or hold only nulls. */
  readonly attributes: Attributes;
  readonly relationships?: Readonly<Record<string, Relationship>> | null;
  readonly meta?: ResourceMeta;
}

/** Any resource, whatever its attributes (`.destroy` deliveries may have null attributes). */
export type AnyResource = JsonApiResource<string, unknown>;

export interface WebhookPayload<Data extends AnyResource = JsonApiResource> {
  readonly data: Data;
  /** Present only when the webhook has `include_resources`. Order is not guaranteed: look resources up by type and id. */
  readonly included?: readonly JsonApiResource[];
}

type SdkRelationship = { readonly type: string; readonly id: string } | readonly { readonly type: string }[];

/** The attributes of an SDK resource type: everything but `id`, `type` and the relationships. */
export type AttributesOf<SdkResource> = {
  readonly [K in keyof SdkResource as K extends "id" | "type"
    ? never
    : NonNullable<SdkResource[K]> extends SdkRelationship
      ? never
      : K]: SdkResource[K];
};

export type OrderAttributes = Omit<AttributesOf<Order>, "number"> & {
  /** An integer in older payloads, a string in newer ones. */
  readonly number?: string | number | null;
};
export type CustomerAttributes = AttributesOf<Customer>;
export type ShipmentAttributes = AttributesOf<Shipment>;
export type ParcelAttributes = AttributesOf<Parcel>;
export type ImportAttributes = AttributesOf<Import>;
export type CustomerSubscriptionAttributes = AttributesOf<CustomerSubscription>;
export type CustomerPasswordResetAttributes = AttributesOf<CustomerPasswordReset>;

/** Typed attributes per resource type; other resources get a plain record. */
export interface ResourceAttributes {
  orders: OrderAttributes;
  customers: CustomerAttributes;
  shipments: ShipmentAttributes;
  parcels: ParcelAttributes;
  imports: ImportAttributes;
  customer_subscriptions: CustomerSubscriptionAttributes;
  customer_password_resets: CustomerPasswordResetAttributes;
  line_items: AttributesOf<LineItem>;
  addresses: AttributesOf<Address>;
  payment_methods: AttributesOf<PaymentMethod>;
  shipping_methods: AttributesOf<ShippingMethod>;
  skus: AttributesOf<Sku>;
  stock_locations: AttributesOf<StockLocation>;
}

export type AttributesFor<Type extends string> = Type extends keyof ResourceAttributes
  ? ResourceAttributes[Type]
  : Readonly<Record<string, unknown>>;

/** The `data` of a delivery for topic T: `data.type` is always the topic's resource. */
export type ResourceFor<T extends string> = T extends `${string}.destroy`
  ? JsonApiResource<ResourceOf<T>, Partial<AttributesFor<ResourceOf<T>>> | null>
  : JsonApiResource<ResourceOf<T>, AttributesFor<ResourceOf<T>>>;
