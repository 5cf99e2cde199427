// The handlers a user writes for external resources: one per kind it implements, each given the verified document
// with lookups in `included`, each returning the kind's typed result (results.ts) or a failure.
import type { IncludedLookups } from "../core/included.ts";
import type { AttributesFor, JsonApiResource, WebhookPayload } from "../core/payload.ts";
import type { ExternalKind, ResourceOfKind } from "./kinds.ts";
import type { HandlerAnswer } from "./results.ts";

/** The `data` a kind receives: its resource type, with that resource's attributes where they are known. */
export type ExternalResourceOf<K extends ExternalKind> =
  ResourceOfKind<K> extends string
    ? JsonApiResource<ResourceOfKind<K>, AttributesFor<ResourceOfKind<K>>>
    : JsonApiResource<string, Readonly<Record<string, unknown>>>;

export interface ExternalEvent<K extends ExternalKind = ExternalKind> extends IncludedLookups {
  /** Which call this is (`tax-calculator`, `payment-gateway/authorize`, ...): the URL's last segments. */
  readonly kind: K;
  /** `data.id`. */
  readonly id: string;
  readonly data: ExternalResourceOf<K>;
  /** The whole JSON:API document as sent. */
  readonly payload: WebhookPayload<ExternalResourceOf<K>>;
}

export type ExternalHandler<K extends ExternalKind> = (
  event: ExternalEvent<K>,
) => HandlerAnswer<K> | Promise<HandlerAnswer<K>>;

export type ExternalHandlers = { readonly [K in ExternalKind]?: ExternalHandler<K> };

/**
 * Types a map of external-resource handlers. Not generic, so that a misspelt kind is a type error naming it, as with
 * `defineWebhookHandlers`.
 */
export function defineExternalHandlers(handlers: ExternalHandlers): ExternalHandlers {
  return handlers;
}
