// The JSON:API document Commerce Layer delivers. Attribute types are generated from @commercelayer/sdk's resource
// types (shared/generated/resource-attributes.ts), so nothing here needs the SDK at run time or in the published declarations.
import type { ResourceAttributes } from "../generated/resource-attributes.ts";
import type { ResourceOf } from "../webhooks/topic.ts";

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

export type {
  CustomerAttributes,
  CustomerPasswordResetAttributes,
  CustomerSubscriptionAttributes,
  ImportAttributes,
  OrderAttributes,
  ParcelAttributes,
  ResourceAttributes,
  ShipmentAttributes,
} from "../generated/resource-attributes.ts";

export type AttributesFor<Type extends string> = Type extends keyof ResourceAttributes
  ? ResourceAttributes[Type]
  : Readonly<Record<string, unknown>>;

/** The `data` of a delivery for topic T: `data.type` is always the topic's resource. */
export type ResourceFor<T extends string> = T extends `${string}.destroy`
  ? JsonApiResource<ResourceOf<T>, Partial<AttributesFor<ResourceOf<T>>> | null>
  : JsonApiResource<ResourceOf<T>, AttributesFor<ResourceOf<T>>>;
