// Vercel's fallback hand-off: run the deferred handlers after the response, inside `waitUntil` from @vercel/functions.
// NOT durable. Commerce Layer already has its 200 when they run, so nothing retries them: if a deferred handler
// throws, or the instance is stopped first (the function's maximum duration, a crash, a redeploy), the work is lost,
// and the failure is only in the logs. Use it for work you can afford to lose or redo from elsewhere; for work that
// must happen, hand off to a durable queue (Vercel Queues where the account has it, or SQS, or your own).
//
// Outside Vercel, `waitUntil` does nothing: the work still runs (it has already started), nothing keeps the process
// alive for it.
import { waitUntil } from "@vercel/functions";
import { deferredOnly, type HandOff, withHandOff } from "../../shared/deferred.ts";
import { describeError, logDeliveryAsJson } from "../../shared/delivery-log.ts";
import { createWebhookReceiver, SIGNATURE_HEADER, TOPIC_HEADER } from "../../shared/receiver.ts";
import type { WebhookHandlers } from "../../shared/router.ts";
import { createVercelWebhookHandler, type VercelWebhookOptions } from "./create-handler.ts";

export interface WaitUntilHandOffOptions extends VercelWebhookOptions {
  /** What keeps the function alive for the work. Default: `waitUntil` from @vercel/functions. */
  readonly waitUntil?: (promise: Promise<unknown>) => void;
}

/**
 * A hand-off that starts the deferred handlers of `handlers` at once, through a receiver of their own (which verifies
 * the delivery again and logs one line, `outcome: "failed"` with the errors when a handler throws), and resolves
 * without waiting for them, so that the 200 is not delayed. Never rejects.
 */
export function createWaitUntilHandOff(handlers: WebhookHandlers, options: WaitUntilHandOffOptions = {}): HandOff {
  const { waitUntil: keepAlive = waitUntil, ...receiverOptions } = options;
  const receive = createWebhookReceiver(deferredOnly(handlers), {
    platform: "vercel-wait-until",
    // Nobody waits for this answer: Commerce Layer's 5-second budget does not apply.
    handlerBudgetMs: 0,
    ...receiverOptions,
  });
  const log = receiverOptions.log ?? logDeliveryAsJson;
  return async (delivery) => {
    const work = receive({
      method: "POST",
      headers: { [TOPIC_HEADER]: delivery.topic, [SIGNATURE_HEADER]: delivery.signature },
      body: delivery.body,
    }).catch((error: unknown) => {
      // The receiver answers failures rather than throwing; this is for the unexpected.
      log({
        platform: "vercel-wait-until",
        topic: delivery.topic,
        outcome: "failed",
        reason: "deferred_work_crashed",
        errors: [describeError(error)],
        status: 500,
        ms: 0,
      });
    });
    keepAlive(work);
  };
}

/** `POST(request)` with deferred handlers run after the response, in `waitUntil` (see the risk above). */
export function createVercelWaitUntilHandler(
  handlers: WebhookHandlers,
  options: WaitUntilHandOffOptions = {},
): (request: Request) => Promise<Response> {
  const { waitUntil: _keepAlive, ...receiverOptions } = options;
  return createVercelWebhookHandler(withHandOff(handlers, createWaitUntilHandOff(handlers, options)), receiverOptions);
}
