// The worker side of deferred handlers, platform-neutral. A delivery taken back from a durable queue is verified again
// (signature over the exact bytes, with the same secrets) and routed to the deferred handlers only; each platform's
// worker (shared/node/<platform>/) only unpacks its queue's message and acts on the outcome. An in-process hand-off
// (Vercel's waitUntil) runs them on the event the receiving function has just verified instead.
import { statusOf } from "../core/answer.ts";
import { type DeliveryLogger, describeError, logDeliveryAsJson } from "../core/log.ts";
import { msSince } from "../core/pipeline.ts";
import { type DeliveryResult, failed } from "../core/result.ts";
import type { ReceiverRuntime } from "../core/runtime.ts";
import { deferredOnly } from "./deferred.ts";
import type { WebhookEvent } from "./event.ts";
import { createWebhookReceiver, settle, type WebhookOptions, type WebhookReceiver } from "./receiver.ts";
import { createTopicRouter, type WebhookHandlers } from "./router.ts";

/**
 * The receiver's options, as for the receiving function, less `deduplicate`: the receiving function claimed the
 * delivery before handing it off, and the same claim here would make every delivery a duplicate of itself.
 * `handlerBudgetMs` defaults to 0: nobody is waiting for the answer.
 */
export type WorkerOptions = Omit<WebhookOptions, "deduplicate">;

/** A receiver of handed-off deliveries: `receive` verifies one again and runs the deferred handlers, never rejects. */
export type DeferredWorker = WebhookReceiver;

/** The last guard: the receiver returns outcomes rather than throwing, so one delivery never fails a batch. */
const crashed = (topic: string | undefined, error: unknown): DeliveryResult =>
  failed("deferred_work_crashed", { ...(topic === undefined ? {} : { topic }), errors: [describeError(error)] });

export function createDeferredWorker(
  runtime: ReceiverRuntime,
  handlers: WebhookHandlers,
  options: WorkerOptions = {},
): DeferredWorker {
  const { deduplicate: _deduplicate, ...rest } = options as WebhookOptions;
  const receiver = createWebhookReceiver(runtime, deferredOnly(handlers), { handlerBudgetMs: 0, ...rest });
  return {
    ...receiver,
    receive: (delivery) => receiver.receive(delivery).catch((error) => receiver.report(crashed(delivery.topic, error))),
  };
}

/**
 * Runs the deferred handlers of `handlers` on an event this process has just verified and parsed (an in-process
 * hand-off: no second verification, no second copy of the body), with one log line of their own; never rejects.
 */
export function createVerifiedEventWorker(
  handlers: WebhookHandlers,
  options: Pick<WorkerOptions, "log" | "platform"> = {},
): (event: WebhookEvent) => Promise<DeliveryResult> {
  const router = createTopicRouter(deferredOnly(handlers));
  const log: DeliveryLogger = options.log ?? logDeliveryAsJson;
  const label = options.platform === undefined ? {} : { platform: options.platform };
  return async (event) => {
    const started = performance.now();
    const matched = router.match(event.topic);
    const result: DeliveryResult =
      matched.length === 0
        ? { outcome: "ignored", topic: event.topic, id: event.id }
        : await settle(matched, event, (work) => work(), undefined).catch((error) => crashed(event.topic, error));
    log({ ...label, ...result, status: statusOf(result), ms: msSince(started) });
    return result;
  };
}
