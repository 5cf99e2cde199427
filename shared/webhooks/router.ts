// Topic routing. Handlers are registered per exact topic, per resource (`orders.*`) and for any topic (`*`).
// Every handler that matches a delivery starts at once (Commerce Layer's answer timeout is shared), and the delivery
// only succeeds when all of them do: one failure answers 500 so that Commerce Layer retries the whole delivery.
import type { WebhookEvent } from "./event.ts";

/** What `deferred(...)` marks a handler with (deferred.ts): the router refuses to run one in the request. */
export const DEFERRED = Symbol.for("commercelayer-webhooks.deferred");

import { type KnownTopic, resourceOfTopic, type TopicPattern } from "./topic.ts";

export type TopicHandler<T extends string = string> = (event: WebhookEvent<T>) => unknown;

/** The event a handler registered for pattern P receives. */
export type EventTopicFor<P extends string> = P extends "*"
  ? string
  : P extends `${infer R}.*`
    ? Extract<KnownTopic, `${R}.${string}`> | `${R}.${string}`
    : P;

/** The handler map a user writes: `{ "orders.place": handleOrder, "customers.*": [a, b], "*": audit }`. */
export type WebhookHandlers = {
  readonly [P in TopicPattern]?: TopicHandler<EventTopicFor<P>> | readonly TopicHandler<EventTopicFor<P>>[];
};

/**
 * Gives a handler map its types in its own file: autocompleted topics, typed events, and a type error that names a
 * misspelt topic (`'"orders.aprove"' does not exist in type 'WebhookHandlers'`). Not generic on purpose: a type
 * parameter would escape the excess-property check that catches the typo.
 */
export function defineWebhookHandlers(handlers: WebhookHandlers): WebhookHandlers {
  return handlers;
}

export interface TopicRouter {
  /** The handlers for a topic, most specific first: exact topic, then `resource.*`, then `*`. */
  match(topic: string): readonly TopicHandler[];
}

/** The handlers registered under one pattern, as a list (the router's, and deferred.ts's when it maps a handler map). */
export function handlerList(registered: WebhookHandlers[keyof WebhookHandlers]): TopicHandler[] {
  if (registered === undefined) return [];
  return (Array.isArray(registered) ? registered : [registered]) as TopicHandler[];
}

/** Refuses a `deferred(...)` handler left in a map served without a hand-off: it would fail every such delivery. */
export function createTopicRouter(handlers: WebhookHandlers): TopicRouter {
  const byPattern = new Map<string, TopicHandler[]>();
  for (const [pattern, registered] of Object.entries(handlers)) {
    const list = handlerList(registered);
    if (list.some((handler) => DEFERRED in handler)) {
      throw new Error(`${pattern}: deferred handler without withHandOff`);
    }
    if (list.length > 0) byPattern.set(pattern, list);
  }
  const empty: readonly TopicHandler[] = [];
  // The map is not changed after this: the `*` handlers are the same for every topic.
  const any = byPattern.get("*");
  return {
    match(topic) {
      const exact = byPattern.get(topic) ?? empty;
      const perResource = byPattern.get(`${resourceOfTopic(topic)}.*`);
      if (perResource === undefined && any === undefined) return exact;
      return [...exact, ...(perResource ?? empty), ...(any ?? empty)];
    },
  };
}

/** Runs every handler for the event; resolves with the failures (empty when all succeeded). */
export async function runHandlers(handlers: readonly TopicHandler[], event: WebhookEvent): Promise<unknown[]> {
  // The common case, one handler, without the bookkeeping of settling several.
  if (handlers.length === 1) {
    try {
      await handlers[0]?.(event);
      return [];
    } catch (error) {
      return [error];
    }
  }
  const results = await Promise.allSettled(handlers.map(async (handler) => handler(event)));
  return results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
}
