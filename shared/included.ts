// Resolving relationships against `included`. Commerce Layer gives no order guarantee for `included`, and included
// resources may point at each other in cycles (a shipment's line items point back at the shipment), so lookups go by
// type and id through an index, and nothing here walks the graph recursively.
import type { AnyResource, JsonApiResource, ResourceIdentifier, WebhookPayload } from "./payload.ts";

const indexes = new WeakMap<WebhookPayload<AnyResource>, Map<string, AnyResource>>();

function keyOf(identifier: ResourceIdentifier): string {
  return `${identifier.type}\u0000${identifier.id}`;
}

function indexOf(payload: WebhookPayload<AnyResource>): Map<string, AnyResource> {
  let index = indexes.get(payload);
  if (index === undefined) {
    index = new Map();
    for (const resource of payload.included ?? []) index.set(keyOf(resource), resource);
    // The primary resource can be the target of an included resource's relationship too.
    if (!index.has(keyOf(payload.data))) index.set(keyOf(payload.data), payload.data);
    indexes.set(payload, index);
  }
  return index;
}

/** The included resource with this type and id, or `undefined` when the webhook did not include it. */
export function findIncluded<R extends JsonApiResource = JsonApiResource>(
  payload: WebhookPayload<AnyResource>,
  identifier: ResourceIdentifier,
): R | undefined {
  return indexOf(payload).get(keyOf(identifier)) as R | undefined;
}

/**
 * The resources a relationship of `from` points at, looked up in `included`: one resource (or `undefined`) for a
 * to-one relationship, an array for a to-many one. Missing relationships, `.destroy` payloads (relationships null) and
 * relationships that were not included give `undefined`.
 */
export function related<R extends JsonApiResource = JsonApiResource>(
  payload: WebhookPayload<AnyResource>,
  from: AnyResource,
  relationship: string,
): R | R[] | undefined {
  const linkage = from.relationships?.[relationship]?.data;
  if (linkage === undefined || linkage === null) return undefined;
  if (Array.isArray(linkage)) {
    return (linkage as readonly ResourceIdentifier[])
      .map((identifier) => findIncluded<R>(payload, identifier))
      .filter((resource): resource is R => resource !== undefined);
  }
  return findIncluded<R>(payload, linkage as ResourceIdentifier);
}

/** Like `related`, for to-one relationships. */
export function relatedOne<R extends JsonApiResource = JsonApiResource>(
  payload: WebhookPayload<AnyResource>,
  from: AnyResource,
  relationship: string,
): R | undefined {
  const found = related<R>(payload, from, relationship);
  return Array.isArray(found) ? found[0] : found;
}

/** Like `related`, for to-many relationships: always an array. */
export function relatedMany<R extends JsonApiResource = JsonApiResource>(
  payload: WebhookPayload<AnyResource>,
  from: AnyResource,
  relationship: string,
): R[] {
  const found = related<R>(payload, from, relationship);
  if (found === undefined) return [];
  return Array.isArray(found) ? found : [found];
}
