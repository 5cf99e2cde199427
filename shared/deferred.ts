// Slow work out of the request. A handler wrapped in `deferred(...)` does not run while Commerce Layer waits: the
// receiving function hands the delivery (its exact body and signature) to the platform's queue and answers 200 in
// milliseconds; a worker later takes it from the queue, verifies the signature again, and runs the same handler through
// the same routing. Moving a topic between direct and deferred is one word in the handler map.
import type { SignedDelivery, WebhookEvent } from "./event.ts";
import type { TopicHandler, WebhookHandlers } from "./router.ts";

const DEFERRED = Symbol.for("commercelayer-webhooks.deferred");

/** Puts a delivery on a durable queue; rejects when it could not (the receiver then answers 500 and Commerce Layer retries). */
export type HandOff = (delivery: SignedDelivery) => Promise<void>;

type DeferredHandler<T extends string> = TopicHandler<T> & { readonly [DEFERRED]: TopicHandler<T> };

/** Marks a handler to run later, from the platform's queue, instead of inside the request. */
export function deferred<T extends string>(handler: TopicHandler<T>): TopicHandler<T> {
  const handOffMarker: DeferredHandler<T> = Object.assign(
    () => {
      throw new Error(
        "a deferred handler ran without a hand-off: pass `handOff` to the factory, or run it in the worker",
      );
    },
    { [DEFERRED]: handler },
  );
  return handOffMarker;
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
    if (registered === undefined) continue;
    const list = ((Array.isArray(registered) ? registered : [registered]) as TopicHandler[]).flatMap(
      (handler) => map(handler) ?? [],
    );
    if (list.length > 0) mapped[pattern] = list;
  }
  return mapped as WebhookHandlers;
}

/**
 * The handler map the receiving function serves: direct handlers as they are, each deferred one replaced by a hand-off
 * of the delivery (once per delivery, however many deferred handlers match it).
 */
export function withHandOff(handlers: WebhookHandlers, handOff: HandOff): WebhookHandlers {
  const handedOff = new WeakSet<SignedDelivery>();
  return mapHandlers(handlers, (handler) =>
    isDeferred(handler)
      ? async (event: WebhookEvent) => {
          if (handedOff.has(event.delivery)) return;
          handedOff.add(event.delivery);
          await handOff(event.delivery);
        }
      : handler,
  );
}

/** The handler map the worker serves: only the deferred handlers, unwrapped. */
export function deferredOnly(handlers: WebhookHandlers): WebhookHandlers {
  return mapHandlers(handlers, (handler) => (isDeferred(handler) ? handler[DEFERRED] : undefined));
}

/** A queue message carries the delivery as it arrived; bytes travel as base64 so that nothing re-encodes them. */
export interface QueuedDelivery {
  readonly topic: string;
  readonly signature: string;
  readonly body: string;
  readonly encoding: "base64" | "utf8";
}

export function toQueuedDelivery(delivery: SignedDelivery): QueuedDelivery {
  return typeof delivery.body === "string"
    ? { topic: delivery.topic, signature: delivery.signature, body: delivery.body, encoding: "utf8" }
    : {
        topic: delivery.topic,
        signature: delivery.signature,
        body: Buffer.from(delivery.body).toString("base64"),
        encoding: "base64",
      };
}

/** The core request a worker verifies and routes, from a queue message. */
export function fromQueuedDelivery(message: QueuedDelivery): {
  method: "POST";
  headers: Record<string, string>;
  body: Uint8Array | string;
} {
  return {
    method: "POST",
    headers: { "x-commercelayer-topic": message.topic, "x-commercelayer-signature": message.signature },
    body: message.encoding === "base64" ? Buffer.from(message.body, "base64") : message.body,
  };
}
