// Resolving relationships against `included`. Commerce Layer gives no order guarantee for `included`, and included
// resources may point at each other in cycles (a shipment's line items point back at the shipment), so lookups go by
// type and id, one relationship at a time, and nothing here walks the graph recursively.
import type { AnyResource, JsonApiResource, ResourceIdentifier, WebhookPayload } from "./payload.ts";

/** The included resource with this type and id (or `data` itself), or `undefined` when it was not included. */
export function findIncluded<R extends JsonApiResource = JsonApiResource>(
  payload: WebhookPayload<AnyResource>,
  identifier: ResourceIdentifier,
): R | undefined {
  // A linear search: deliveries include tens of resources, where an index costs more than it saves.
  const matches = (resource: AnyResource) => resource.type === identifier.type && resource.id === identifier.id;
  return (payload.included?.find(matches) ?? (matches(payload.data) ? payload.data : undefined)) as R | undefined;
}

/**
 * The included resources a relationship of `from` points at: one for a to-one relationship, all of them for a to-many
 * one, in linkage order. Missing relationships, `.destroy` payloads (relationships null) and relationships that were
 * not included give `[]`.
 */
export function relatedMany<R extends JsonApiResource = JsonApiResource>(
  payload: WebhookPayload<AnyResource>,
  from: AnyResource,
  relationship: string,
): R[] {
  const linkage = from.relationships?.[relationship]?.data;
  const identifiers = (Array.isArray(linkage) ? linkage : linkage ? [linkage] : []) as readonly ResourceIdentifier[];
  return identifiers
    .map((identifier) => findIncluded<R>(payload, identifier))
    .filter((resource) => resource !== undefined);
}

/** Like `relatedMany`, for to-one relationships: the resource, or `undefined` when it was not included. */
export function relatedOne<R extends JsonApiResource = JsonApiResource>(
  payload: WebhookPayload<AnyResource>,
  from: AnyResource,
  relationship: string,
): R | undefined {
  return relatedMany<R>(payload, from, relationship)[0];
}

/** The lookups a handler's event carries (webhooks and external resources alike), bound to one document. */
export interface IncludedLookups {
  /** The included resource a to-one relationship of `from` (default: `data`) points at, if it was included. */
  relatedOne<R extends JsonApiResource = JsonApiResource>(relationship: string, from?: AnyResource): R | undefined;
  /** The included resources a to-many relationship of `from` (default: `data`) points at; `[]` when not included. */
  relatedMany<R extends JsonApiResource = JsonApiResource>(relationship: string, from?: AnyResource): R[];
  /** An included resource by type and id. */
  find<R extends JsonApiResource = JsonApiResource>(identifier: ResourceIdentifier): R | undefined;
}

export function lookupsIn(payload: WebhookPayload<AnyResource>): IncludedLookups {
  return {
    // relatedOne's body, not a call to it: one function less in every bundle (it stays exported for other callers).
    relatedOne: <R extends JsonApiResource>(relationship: string, from = payload.data): R | undefined =>
      relatedMany<R>(payload, from, relationship)[0],
    relatedMany: (relationship, from = payload.data) => relatedMany(payload, from, relationship),
    find: (identifier) => findIncluded(payload, identifier),
  };
}
