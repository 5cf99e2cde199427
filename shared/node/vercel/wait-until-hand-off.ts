// Vercel's own hand-off: run the deferred handlers after the response, inside `waitUntil` from @vercel/functions, on
// the event the receiving function has just verified and parsed (no second verification, no second copy of the body).
// NOT durable. Commerce Layer already has its 200 when they run, so nothing retries them: if a deferred handler
// throws, or the instance is stopped first (the function's maximum duration, a crash, a redeploy), the work is lost,
// and the failure is only in the logs. Use it for work you can afford to lose or redo from elsewhere; for work that
// must happen, hand off to a durable queue (Vercel Queues and createVercelWebhookWorker, in queue-worker.ts, or SQS).
//
// Outside Vercel, `waitUntil` does nothing: the work still runs (it has already started), nothing keeps the process
// alive for it.
import { waitUntil } from "@vercel/functions";
import type { HandOff } from "../../webhooks/deferred.ts";
import type { WebhookHandlers } from "../../webhooks/router.ts";
import { createVerifiedEventWorker, type WorkerOptions } from "../../webhooks/worker.ts";

export interface WaitUntilHandOffOptions extends Omit<WorkerOptions, "platform"> {
  /** What keeps the function alive for the work. Default: `waitUntil` from @vercel/functions. */
  readonly waitUntil?: (promise: Promise<unknown>) => void;
}

/**
 * A hand-off that starts the deferred handlers of `handlers` at once on the verified event (one log line of their
 * own, with the errors when a handler throws) and resolves without waiting for them, so that the 200 is not delayed.
 */
export function createWaitUntilHandOff(handlers: WebhookHandlers, options: WaitUntilHandOffOptions = {}): HandOff {
  const { waitUntil: keepAlive = waitUntil, ...workerOptions } = options;
  const runDeferred = createVerifiedEventWorker(handlers, { platform: "vercel-wait-until", ...workerOptions });
  return async (_delivery, event) => {
    keepAlive(runDeferred(event));
  };
}
