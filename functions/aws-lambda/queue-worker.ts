// The worker side of deferred handlers on AWS: a Lambda with an SQS event source (ReportBatchItemFailures). Each record
// is a delivery the receiving function handed off; it is verified again (signature over the exact bytes, with the same
// secrets) and routed to the deferred handlers only. A record whose handlers fail, whose signature does not verify or
// that is not a queued delivery at all is reported in `batchItemFailures`: SQS retries only that record, and after the
// queue's maxReceiveCount moves it to the dead-letter queue. The others of the batch are deleted as done.
//
// Records run concurrently: a standard queue guarantees no order anyway, handlers must already be safe to run twice
// (SQS delivers at least once), and the batch then takes as long as its slowest record rather than the sum of all,
// which keeps it inside the worker's timeout (a timed-out invocation fails the whole batch, finished records included).
// The concurrency is the event source's batchSize (10 in serverless.yml): lower it if your handlers' downstream
// cannot take that many calls at once. Not for FIFO queues, whose order a concurrent batch would not keep.
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { deferredOnly, fromQueuedDelivery, type QueuedDelivery } from "../../shared/deferred.ts";
import { describeError, logDeliveryAsJson } from "../../shared/delivery-log.ts";
import { createWebhookReceiver, type ReceiverOptions } from "../../shared/receiver.ts";
import type { WebhookHandlers } from "../../shared/router.ts";

/**
 * The receiver's options, as for the receiving function. `handlerBudgetMs` defaults to 0 here: nobody is waiting for
 * the answer. `deduplicate`, if used, needs its own store or key: with the receiving function's, every queued delivery
 * would be a duplicate of its own hand-off.
 */
export type LambdaQueueWorkerOptions = Omit<ReceiverOptions, "platform">;

export type LambdaQueueWorker = (event: SQSEvent) => Promise<SQSBatchResponse>;

export const WORKER_PLATFORM = "aws-lambda-worker";

function parseQueuedDelivery(body: string): QueuedDelivery | undefined {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof message !== "object" || message === null) return undefined;
  const { topic, signature, body: text, encoding } = message as Record<string, unknown>;
  if (typeof topic !== "string" || typeof signature !== "string" || typeof text !== "string") return undefined;
  if (encoding !== "base64" && encoding !== "utf8") return undefined;
  return { topic, signature, body: text, encoding };
}

export function createLambdaQueueWorker(
  handlers: WebhookHandlers,
  options: LambdaQueueWorkerOptions = {},
): LambdaQueueWorker {
  const log = options.log ?? logDeliveryAsJson;
  const receive = createWebhookReceiver(deferredOnly(handlers), {
    handlerBudgetMs: 0,
    ...options,
    platform: WORKER_PLATFORM,
  });

  /** True when the record is done (delete it), false when SQS should deliver it again. */
  async function run(record: SQSRecord): Promise<boolean> {
    const message = parseQueuedDelivery(record.body);
    if (message === undefined) {
      log({ platform: WORKER_PLATFORM, outcome: "rejected", status: 400, ms: 0, reason: "not_a_queued_delivery" });
      return false;
    }
    try {
      return (await receive(fromQueuedDelivery(message))).status === 200;
    } catch (error) {
      // The receiver answers rather than throws; this is a last guard, so that one record never fails the batch.
      log({ platform: WORKER_PLATFORM, outcome: "failed", status: 500, ms: 0, errors: [describeError(error)] });
      return false;
    }
  }

  return async (event) => {
    const records = event.Records ?? [];
    const done = await Promise.all(records.map(run));
    return {
      batchItemFailures: records
        .filter((_, index) => !done[index])
        .map((record) => ({ itemIdentifier: record.messageId })),
    };
  };
}
