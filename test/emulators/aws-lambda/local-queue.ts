// A local SQS queue for the serverless-offline suite: fauxqs (the root package's dev dependency) in this process, on
// 127.0.0.1, with queue URLs on that same address (fauxqs's default, http://sqs.<region>.localhost:<port>/..., does
// not resolve here, and the SDK sends to the queue URL's host).
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";
import { buildApp } from "fauxqs";
import { ROOT } from "./serverless-cli.ts";

export interface LocalQueue {
  readonly endpoint: string;
  readonly queueUrl: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

export async function startLocalQueue(): Promise<LocalQueue> {
  // Not in fauxqs's package exports: loaded by path. With no host, queue URLs use the request's Host header.
  const { SqsStore } = (await import(pathToFileURL(join(ROOT, "node_modules/fauxqs/dist/sqs/sqsStore.js")).href)) as {
    SqsStore: new () => { host: string };
  };
  const sqsStore = new SqsStore();
  sqsStore.host = "";
  const app = buildApp({ logger: false, stores: { sqsStore } as never });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const credentials = { accessKeyId: "local", secretAccessKey: "local" };
  const sqs = new SQSClient({ endpoint, region: "us-east-1", credentials });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "commercelayer-webhooks-offline" }));
  sqs.destroy();
  if (!QueueUrl?.startsWith(`${endpoint}/`)) throw new Error(`unexpected local queue URL ${QueueUrl}`);
  return { endpoint, queueUrl: QueueUrl, credentials, stop: () => app.close() };
}
