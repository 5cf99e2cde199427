// What a topic handler receives: the verified, parsed delivery, with relationship lookups bound to it.
import { type IncludedLookups, lookupsIn } from "../core/included.ts";
import type { ResourceFor, WebhookPayload } from "../core/payload.ts";

export interface WebhookEvent<T extends string = string> extends IncludedLookups {
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

export function createWebhookEvent<T extends string>(
  topic: T,
  payload: WebhookPayload,
  delivery: SignedDelivery,
): WebhookEvent<T> {
  const data = payload.data as ResourceFor<T>;
  return {
    topic,
    delivery,
    id: data.id,
    data,
    payload: payload as WebhookPayload<ResourceFor<T>>,
    ...lookupsIn(payload),
  };
}
