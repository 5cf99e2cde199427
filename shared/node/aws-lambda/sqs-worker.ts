// AWS Lambda, worker side of deferred handlers: a Lambda with an SQS event source (ReportBatchItemFailures). Each record
// is a delivery the receiving function handed off (sqs-hand-off.ts); shared/webhooks/worker.ts verifies it again and runs the
// deferred handlers. A record whose handlers fail, whose signature does not verify or that is not a queued delivery at
// all is reported in `batchItemFailures`: SQS retries only that record, and after the queue's maxReceiveCount moves it
// to the dead-letter queue. The others of the batch are deleted as done.
//
// Records run concurrently: a standard queue guarantees no order anyway, handlers must already be safe to run twice
// (SQS delivers at least once), and the batch then takes as long as its slowest record rather than the sum of all,
// which keeps it inside the worker's timeout (a timed-out invocation fails the whole batch, finished records included).
// The concurrency is the event source's batchSize (10 in serverless.yml): lower it if your handlers' downstream
// cannot take that many calls at once. Not for FIFO queues, whose order a concurrent batch would not keep.
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { isSettled, rejected } from "../../core/result.ts";
import type { WebhookHandlers } from "../../webhooks/router.ts";
import { createDeferredWorker, type WorkerOptions } from "../../webhooks/worker.ts";
import { fromQueuedDelivery } from "../queued-delivery.ts";
import { NODE_RUNTIME } from "../runtime.ts";

export type LambdaWebhookWorker = (event: SQSEvent) => Promise<SQSBatchResponse>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createLambdaWebhookWorker(
  handlers: WebhookHandlers,
  options: Omit<WorkerOptions, "platform"> = {},
): LambdaWebhookWorker {
  const work = createDeferredWorker(NODE_RUNTIME, handlers, { platform: "aws-lambda-worker", ...options });

  /** True when the record is done (delete it), false when SQS should deliver it again. */
  async function run(record: SQSRecord): Promise<boolean> {
    const delivery = fromQueuedDelivery(parseJson(record.body));
    return isSettled(
      delivery === undefined ? work.report(rejected("not_a_queued_delivery")) : await work.receive(delivery),
    );
  }

  return async (event) => {
    const records = event.Records ?? [];
    const done = await Promise.all(records.map(run));
    return {
      batchItemFailures: records.flatMap((record, index) =>
        done[index] ? [] : [{ itemIdentifier: record.messageId }],
      ),
    };
  };
}
