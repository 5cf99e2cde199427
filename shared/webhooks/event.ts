// What a topic handler receives: the verified, parsed delivery, with relationship lookups bound to it.
import { lookupsIn } from "../core/included.ts";
import type { ResourceFor, WebhookPayload } from "../core/payload.ts";
import type { DeclaredLookups } from "./declared-lookups.ts";
import type { ResourceOf } from "./topic.ts";

/**
 * The event of topic T, for a handler that declared the include paths Paths (none unless it used `withIncludes`): its
 * lookups read only those relationships, typed.
 */
export interface WebhookEvent<T extends string = string, in Paths extends string = never>
  extends DeclaredLookups<ResourceOf<T>, Paths> {
  /** The `X-CommerceLayer-Topic` header, e.g. `orders.place`. */
  readonly topic: T;
  /** `data.id`: the id of the resource the event is about. */
  readonly id: string;
  /** `data`: the resource, with `data.type` equal to the topic's resource (checked before any handler runs). */
  readonly data: ResourceFor<T>;
  /** The whole JSON:API document as delivered. */
  readonly payload: WebhookPayload<ResourceFor<T>>;
  /**
   * The delivery as it arrived: the exact body and its signature. What a deferred handler hands to a queue, so that
   * the worker verifies the signature again before it trusts anything.
   */
  readonly delivery: SignedDelivery;
}

export interface SignedDelivery {
  readonly topic: string;
  /** The body exactly as received (bytes, or the text a platform decoded them to). */
  readonly body: Uint8Array | string;
  /** The `X-CommerceLayer-Signature` value that verified it. */
  readonly signature: string;
  /** The URL it was sent to, where the request adapter knows it (a same-origin hand-off needs it). */
  readonly url?: string;
}

/** The event every handler of the delivery gets; what a handler may look up is a matter of its type (Paths) only. */
export function createWebhookEvent<T extends string, Paths extends string = never>(
  topic: T,
  payload: WebhookPayload,
  delivery: SignedDelivery,
): WebhookEvent<T, Paths> {
  const data = payload.data as ResourceFor<T>;
  return {
    topic,
    delivery,
    id: data.id,
    data,
    payload: payload as WebhookPayload<ResourceFor<T>>,
    // The untyped lookups: DeclaredLookups only narrows, per handler, which relationships they are asked for.
    ...(lookupsIn(payload) as unknown as DeclaredLookups<ResourceOf<T>, Paths>),
  };
}
