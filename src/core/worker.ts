// The worker side of deferred handlers, platform-neutral: a delivery taken back from a queue is verified again
// (signature over the exact bytes, with the same secrets) and routed to the deferred handlers only. Each platform's
// worker (src/platforms/*/worker.ts) only unpacks its queue's message and acts on the outcome.
import { deferredOnly } from "./deferred.ts";
import type { SignedDelivery } from "./event.ts";
import { describeError } from "./log.ts";
import { createWebhookReceiver, type ReceiverOptions } from "./node-receiver.ts";
import type { DeliveryResult } from "./result.ts";
import type { WebhookHandlers } from "./router.ts";

/**
 * The receiver's options, as for the receiving function, less `deduplicate`: the receiving function claimed the
 * delivery before handing it off, and the same claim here would make every delivery a duplicate of itself.
 * `handlerBudgetMs` defaults to 0: nobody is waiting for the answer.
 */
export type WorkerOptions = Omit<ReceiverOptions, "deduplicate">;

export type DeferredWorker = ((delivery: SignedDelivery) => Promise<DeliveryResult>) & {
  /** Logs an outcome decided before the delivery could be read (a message that is not a queued delivery). */
  report(outcome: DeliveryResult): DeliveryResult;
};

export function createDeferredWorker(handlers: WebhookHandlers, options: WorkerOptions = {}): DeferredWorker {
  const { deduplicate: _claims, ...rest } = options as ReceiverOptions;
  const receiver = createWebhookReceiver(deferredOnly(handlers), { handlerBudgetMs: 0, ...rest });
  const run = async (delivery: SignedDelivery): Promise<DeliveryResult> => {
    try {
      return await receiver(delivery);
    } catch (error) {
      // The receiver returns outcomes rather than throwing; this is a last guard, so one delivery never fails a batch.
      const { topic } = delivery;
      return receiver.report({
        outcome: "failed",
        reason: "deferred_work_crashed",
        topic,
        errors: [describeError(error)],
      });
    }
  };
  return Object.assign(run, { report: receiver.report });
}
