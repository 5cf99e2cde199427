// The local receiver's SQS: fauxqs (an SQS emulator, a dev dependency) in this process on 127.0.0.1, so that the AWS
// Lambda path of `npm start` hands deferred deliveries to a real queue API exactly as it does on AWS, and a poller
// feeds them to the worker bundle as an SQS event source would: in batches, deleting what the worker did not report.
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { buildApp } from "fauxqs";
import { queueArnOf, sqsEvent } from "../drive/sqs-events.ts";

export interface LocalQueue {
  readonly queueUrl: string;
  /** The environment the receiving bundle needs to send to it (endpoint, region, throwaway credentials). */
  readonly env: Readonly<Record<string, string>>;
  /** Takes messages off the queue and hands them to `worker` in SQS events, until stopped. */
  poll(worker: (event: SQSEvent) => Promise<SQSBatchResponse>): void;
  stop(): Promise<void>;
}

export async function startLocalQueue(): Promise<LocalQueue> {
  // Not in fauxqs's package exports: loaded by path. With no host, queue URLs use the request's Host header (its
  // default, http://sqs.<region>.localhost:<port>/..., does not resolve on every machine).
  const storePath = fileURLToPath(import.meta.resolve("fauxqs")).replace(/app\.js$/, "sqs/sqsStore.js");
  const { SqsStore } = (await import(pathToFileURL(storePath).href)) as { SqsStore: new () => { host: string } };
  const sqsStore = new SqsStore();
  sqsStore.host = "";
  const app = buildApp({ logger: false, stores: { sqsStore } as never });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const env = {
    AWS_ENDPOINT_URL_SQS: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
  };
  const sqs = new SQSClient({
    endpoint,
    region: env.AWS_REGION,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "commercelayer-webhooks-local" }));
  const queueUrl = QueueUrl as string;
  let running = true;
  let loop: Promise<void> = Promise.resolve();
  return {
    queueUrl,
    env,
    poll(worker) {
      loop = (async () => {
        while (running) {
          const { Messages = [] } = await sqs
            .send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))
            .catch(() => ({ Messages: [] as Message[] }));
          if (Messages.length === 0) continue;
          const { batchItemFailures } = await worker(sqsEvent(Messages, queueArnOf(queueUrl)));
          const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
          const done = Messages.filter((message) => !failed.has(message.MessageId ?? ""));
          if (done.length > 0) {
            await sqs.send(
              new DeleteMessageBatchCommand({
                QueueUrl: queueUrl,
                Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
              }),
            );
          }
        }
      })();
    },
    async stop() {
      running = false;
      await loop.catch(() => {});
      sqs.destroy();
      await app.close();
    },
  };
}
