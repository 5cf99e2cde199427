// Vercel, worker side of deferred handlers on a durable queue (Vercel Queues, or any queue whose consumer is a
// function of the message): the message is a queued delivery (toQueuedDelivery of the hand-off's delivery); it is
// verified again and routed to the deferred handlers. A failure throws, which is what makes a queue deliver the
// message again; a refused message (bad signature, not a delivery) does not, since retrying would not change it.
import { rejected } from "../../core/result.ts";
import type { WebhookHandlers } from "../../webhooks/router.ts";
import { createDeferredWorker, type WorkerOptions } from "../../webhooks/worker.ts";
import { fromQueuedDelivery } from "../queued-delivery.ts";
import { NODE_RUNTIME } from "../runtime.ts";

export type VercelWebhookWorker = (message: unknown) => Promise<void>;

export function createVercelWebhookWorker(
  handlers: WebhookHandlers,
  options: Omit<WorkerOptions, "platform"> = {},
): VercelWebhookWorker {
  const work = createDeferredWorker(NODE_RUNTIME, handlers, { platform: "vercel-queue-worker", ...options });
  return async (message) => {
    const delivery = fromQueuedDelivery(message);
    if (delivery === undefined) {
      work.report(rejected("not_a_queued_delivery"));
      return;
    }
    const result = await work.receive(delivery);
    if (result.outcome === "failed")
      throw new Error(`commercelayer webhook worker: ${result.reason}; the queue retries it`);
  };
}
