// Slow work out of the request. A handler wrapped in `deferred(...)` does not run while Commerce Layer waits: the
// receiving function hands the delivery (its exact body and signature) to the platform's queue and answers 200 in
// milliseconds; a worker later takes it from the queue, verifies the signature again, and runs the same handler through
// the same routing. Moving a topic between direct and deferred is one word in the handler map.
import type { SignedDelivery, WebhookEvent } from "./event.ts";
import { DEFERRED, handlerList, type TopicHandler, type WebhookHandlers } from "./router.ts";

/**
 * Puts a delivery on a durable queue; rejects when it could not (the delivery then fails with 500 and Commerce Layer
 * retries). The platforms' own: createSqsHandOff, createBackgroundHandOff, createWaitUntilHandOff. A durable hand-off
 * sends `delivery` (the exact bytes and signature, verified again on the other side); an in-process one may run the
 * deferred handlers on `event`, already verified.
 */
export type HandOff = (delivery: SignedDelivery, event: WebhookEvent) => Promise<void>;

type DeferredHandler<T extends string> = TopicHandler<T> & { readonly [DEFERRED]: TopicHandler<T> };

/** Marks a handler to run later, from the platform's queue, instead of inside the request. */
export function deferred<T extends string>(handler: TopicHandler<T>): TopicHandler<T> {
  // Never called: the router refuses a map that still holds one (withHandOff replaces it, deferredOnly unwraps it).
  const marker: DeferredHandler<T> = Object.assign(() => undefined, { [DEFERRED]: handler });
  return marker;
}

function isDeferred(handler: unknown): handler is DeferredHandler<string> {
  return typeof handler === "function" && DEFERRED in handler;
}

function mapHandlers(
  handlers: WebhookHandlers,
  map: (handler: TopicHandler) => TopicHandler | undefined,
): WebhookHandlers {
  const mapped: Record<string, TopicHandler[]> = {};
  for (const [pattern, registered] of Object.entries(handlers)) {
    const list = handlerList(registered).flatMap((handler) => map(handler) ?? []);
    if (list.length > 0) mapped[pattern] = list;
  }
  return mapped as WebhookHandlers;
}

/**
 * The handler map the receiving function serves: direct handlers as they are, each deferred one replaced by a hand-off
 * of the delivery (once per delivery, however many deferred handlers match it). The delivery is answered once the
 * hand-off resolved: 200, or 500 when it rejected.
 */
export function withHandOff(handlers: WebhookHandlers, handOff: HandOff): WebhookHandlers {
  const handedOff = new WeakSet<SignedDelivery>();
  return mapHandlers(handlers, (handler) =>
    isDeferred(handler)
      ? async (event: WebhookEvent) => {
          if (handedOff.has(event.delivery)) return;
          handedOff.add(event.delivery);
          await handOff(event.delivery, event);
        }
      : handler,
  );
}

/** The handler map a worker serves: only the deferred handlers, unwrapped. */
export function deferredOnly(handlers: WebhookHandlers): WebhookHandlers {
  return mapHandlers(handlers, (handler) => (isDeferred(handler) ? handler[DEFERRED] : undefined));
}
