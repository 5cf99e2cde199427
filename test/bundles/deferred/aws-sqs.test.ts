// Deferred handlers on AWS, end to end against a real SQS emulator (fauxqs, in this process, on 127.0.0.1): the
// receiving function (the built bundles) hands a verified delivery to a queue with a dead-letter queue and answers at
// once; the worker bundle runs the deferred handlers from SQS events built the way Lambda builds them from
// ReceiveMessage, with partial batch failures; a record that keeps failing ends in the dead-letter queue.
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { buildApp, interceptLocalhostDns } from "fauxqs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { lambdaEvent } from "../../../infra/drive/lambda-events.ts";
import { sqsEvent } from "../../../infra/drive/sqs-events.ts";
import { asciiJson } from "../../../shared/node/aws-lambda/sqs-hand-off.ts";
import { createMemoryDeduplicationStore } from "../../../shared/webhooks/deduplication.ts";
import { FIXTURE_LINE } from "../../fixtures/handlers.ts";
import { closedPort, LOOPBACK, unresponsiveServer } from "../../services/deduplication/engines.ts";
import { importBundle } from "../../support/bundles.ts";
import { signedBody, signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";

type Handlers = Record<string, unknown>;
type Worker = (event: SQSEvent) => Promise<SQSBatchResponse>;
type LambdaHandler = (event: unknown) => Promise<{ statusCode: number; body: string }>;
interface QueueFile {
  deferred: <F>(handler: F) => F;
  withHandOff: (handlers: Handlers, handOff: unknown) => Handlers;
  createSqsHandOff: (options: { queueUrl: string | (() => string | undefined); client?: SQSClient }) => unknown;
  createLambdaWebhookWorker: (handlers: Handlers, options?: Record<string, unknown>) => Worker;
}
interface Factory {
  createLambdaWebhookHandler: (handlers: Handlers, options?: Record<string, unknown>) => LambdaHandler;
}

const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
const quiet = { secrets: [TEST_SECRET], log: () => {} };

let app: ReturnType<typeof buildApp>;
let endpoint: string;
let sqs: SQSClient;
let queueFile: QueueFile;
let factory: Factory;

const client = (at = endpoint) =>
  new SQSClient({
    endpoint: at,
    region: REGION,
    credentials: CREDENTIALS,
    requestHandler: { connectionTimeout: 500, requestTimeout: 1000, throwOnRequestTimeout: true },
  });

beforeAll(async () => {
  app = buildApp({ logger: false });
  await app.listen({ port: 0, host: LOOPBACK });
  endpoint = `http://${LOOPBACK}:${(app.server.address() as AddressInfo).port}`;
  // The test's own client: no short request timeout, as it long-polls.
  sqs = new SQSClient({ endpoint, region: REGION, credentials: CREDENTIALS });
  queueFile = await importBundle<QueueFile>("dist/factories/aws-lambda/commercelayer-webhook-queue.mjs");
  factory = await importBundle<Factory>("dist/factories/aws-lambda/commercelayer-webhook-factory.mjs");
});
afterAll(async () => {
  sqs?.destroy();
  await app?.close();
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

let queues = 0;
/** A queue with its own dead-letter queue: after `maxReceiveCount` receives, the next one moves a message there. */
async function createQueues(maxReceiveCount = 2): Promise<{ queueUrl: string; queueArn: string; dlqUrl: string }> {
  const name = `cl-webhooks-${++queues}`;
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqUrl = dlq.QueueUrl as string;
  const dlqArn = await arnOf(dlqUrl);
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: "1",
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    }),
  );
  const queueUrl = queue.QueueUrl as string;
  return { queueUrl, queueArn: await arnOf(queueUrl), dlqUrl };
}

async function arnOf(queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
  );
  return Attributes?.QueueArn as string;
}

async function receive(queueUrl: string, waitSeconds = 0): Promise<Message[]> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    }),
  );
  return Messages ?? [];
}

/**
 * One poll of the event source mapping: receive, invoke the worker, delete what it did not report as failed (as
 * Lambda does with ReportBatchItemFailures). Failed records stay and become visible again after the timeout.
 */
async function pump(queue: { queueUrl: string; queueArn: string }, worker: Worker, waitSeconds = 1) {
  const messages = await receive(queue.queueUrl, waitSeconds);
  if (messages.length === 0) return { messages, failures: [] as string[] };
  const response = await worker(sqsEvent(messages, queue.queueArn));
  const failures = response.batchItemFailures.map((failure) => failure.itemIdentifier);
  for (const message of messages)
    if (!failures.includes(message.MessageId as string))
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queue.queueUrl, ReceiptHandle: message.ReceiptHandle }));
  return { messages, failures };
}

async function send(handler: LambdaHandler, delivery: ReturnType<typeof signedDelivery>) {
  const started = performance.now();
  const result = await handler(
    lambdaEvent("http-api-v2", { method: "POST", headers: delivery.headers, body: delivery.body }, false),
  );
  return { status: result.statusCode, body: result.body, ms: performance.now() - started };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("SQS hand-off and queue worker (factory files) on fauxqs", () => {
  it("answers 200 at once with the slow handler not run, queues the exact delivery, and the worker runs it once", async () => {
    const queue = await createQueues();
    const runs: string[] = [];
    const quick = vi.fn();
    const handlers = {
      "orders.place": [
        queueFile.deferred(async (event: { id: string }) => {
          await sleep(1500);
          runs.push(event.id);
        }),
        quick,
      ],
    };
    const handOff = queueFile.createSqsHandOff({ queueUrl: queue.queueUrl, client: client() });
    const receiving = factory.createLambdaWebhookHandler(queueFile.withHandOff(handlers, handOff), quiet);
    const delivery = signedDelivery("orders.place", { seed: 201 });

    const answer = await send(receiving, delivery);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('{"received":true,"outcome":"handled"}');
    // Answered before the slow handler finished: what it records is not there yet.
    expect(runs).toEqual([]);
    expect(quick).toHaveBeenCalledTimes(1);

    const worker = queueFile.createLambdaWebhookWorker(handlers, quiet);
    const messages = await receive(queue.queueUrl, 1);
    expect(messages).toHaveLength(1);
    // Non-ASCII text (the sample has emoji, which fauxqs refuses raw) travels as base64 of the exact bytes: an ASCII
    // message that decodes back to the bytes that were signed.
    expect(messages[0]?.Body).toMatch(/^[\x20-\x7e]+$/);
    expect(delivery.body.toString("utf8")).toMatch(/\P{ASCII}/u);
    const queued = JSON.parse(messages[0]?.Body as string);
    expect(queued).toEqual({
      topic: "orders.place",
      signature: delivery.headers["x-commercelayer-signature"],
      body: delivery.body.toString("base64"),
      encoding: "base64",
    });
    expect(Buffer.from(queued.body, "base64").equals(delivery.body)).toBe(true);
    const response = await worker(sqsEvent(messages, queue.queueArn));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(runs).toHaveLength(1);
    expect(quick).toHaveBeenCalledTimes(1);
  });

  it("reports only the failing record; after maxReceiveCount failures it lands in the dead-letter queue", async () => {
    const queue = await createQueues(2);
    const ran: string[] = [];
    const handlers = {
      "orders.place": queueFile.deferred((event: { id: string }) => void ran.push(event.id)),
      "customers.create": queueFile.deferred(() => {
        throw new Error("downstream unavailable");
      }),
    };
    const handOff = queueFile.createSqsHandOff({ queueUrl: queue.queueUrl, client: client() });
    const receiving = factory.createLambdaWebhookHandler(queueFile.withHandOff(handlers, handOff), quiet);
    expect((await send(receiving, signedDelivery("orders.place", { seed: 202 }))).status).toBe(200);
    expect((await send(receiving, signedDelivery("customers.create", { seed: 203 }))).status).toBe(200);

    const worker = queueFile.createLambdaWebhookWorker(handlers, quiet);
    let attempts = 0;
    let dead: Message[] = [];
    const deadline = Date.now() + 15_000;
    while (dead.length === 0 && Date.now() < deadline) {
      const { messages, failures } = await pump(queue, worker);
      if (messages.length > 0) {
        attempts++;
        const failed = messages.filter((message) => failures.includes(message.MessageId as string));
        expect(failed.map((message) => JSON.parse(message.Body as string).topic)).toEqual(["customers.create"]);
      }
      dead = await receive(queue.dlqUrl);
    }
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]?.Body as string).topic).toBe("customers.create");
    expect(attempts).toBe(2);
    expect(ran).toHaveLength(1);
    expect(await receive(queue.queueUrl)).toEqual([]);
  });

  it("refuses a tampered or unreadable message: reported as failed, the handler never runs", async () => {
    const queue = await createQueues();
    const run = vi.fn();
    const worker = queueFile.createLambdaWebhookWorker({ "orders.place": queueFile.deferred(run) }, quiet);
    const delivery = signedDelivery("orders.place", { seed: 204 });
    const tampered = delivery.body.toString("utf8").replace('"status":"placed"', '"status":"approved"');
    expect(tampered).not.toBe(delivery.body.toString("utf8"));
    const bodies = [
      {
        topic: "orders.place",
        signature: delivery.headers["x-commercelayer-signature"],
        body: tampered,
        encoding: "utf8",
      },
      { topic: "orders.place", signature: "forged", body: delivery.body.toString("utf8"), encoding: "utf8" },
    ].map(asciiJson);
    for (const body of [...bodies, "not json", "{}"])
      await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: body }));
    const messages = await receive(queue.queueUrl, 1);
    expect(messages).toHaveLength(4);
    const response = await worker(sqsEvent(messages, queue.queueArn));
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      messages.map((message) => message.MessageId).sort(),
    );
    expect(run).not.toHaveBeenCalled();
  });

  it("answers 500, within its time bound, when the queue is down or hangs, so that Commerce Layer retries", async () => {
    const hung = await unresponsiveServer();
    try {
      for (const at of [`http://${LOOPBACK}:${await closedPort()}`, `http://${LOOPBACK}:${hung.port}`]) {
        const handOff = queueFile.createSqsHandOff({ queueUrl: `${at}/000000000000/q`, client: client(at) });
        const handlers = { "orders.place": queueFile.deferred(() => {}) };
        const receiving = factory.createLambdaWebhookHandler(queueFile.withHandOff(handlers, handOff), quiet);
        const answer = await send(receiving, signedDelivery("orders.place", { seed: 205 }));
        expect(answer.status, at).toBe(500);
        expect(answer.body).toBe('{"error":"handler_failed"}');
        expect(answer.ms).toBeLessThan(2_500);
      }
    } finally {
      await hung.stop();
    }
  });

  it("refuses a delivery over SQS's 256 KiB with a clear error: 500", async () => {
    const queue = await createQueues();
    const errors: string[] = [];
    const handOff = queueFile.createSqsHandOff({ queueUrl: queue.queueUrl, client: client() });
    const receiving = factory.createLambdaWebhookHandler(
      queueFile.withHandOff({ "orders.place": queueFile.deferred(() => {}) }, handOff),
      { secrets: [TEST_SECRET], log: (entry: { errors?: string[] }) => errors.push(...(entry.errors ?? [])) },
    );
    const body = signedDelivery("orders.place").body.toString("utf8");
    const large = body.replace('"attributes":{', `"attributes":{"padding":"${"x".repeat(300 * 1024)}",`);
    expect((await send(receiving, signedBody("orders.place", large))).status).toBe(500);
    expect(errors).toEqual([expect.stringMatching(/^RangeError: delivery too large for SQS: \d+ bytes/)]);
    expect(await receive(queue.queueUrl)).toEqual([]);
  });

  it("with deduplication (memory store): the same delivery twice puts one message on the queue", async () => {
    const queue = await createQueues();
    const handOff = queueFile.createSqsHandOff({ queueUrl: queue.queueUrl, client: client() });
    const receiving = factory.createLambdaWebhookHandler(
      queueFile.withHandOff({ "orders.place": queueFile.deferred(() => {}) }, handOff),
      { ...quiet, deduplicate: { store: createMemoryDeduplicationStore() } },
    );
    const delivery = signedDelivery("orders.place", { seed: 206 });
    expect(JSON.parse((await send(receiving, delivery)).body)).toEqual({ received: true, outcome: "handled" });
    expect(JSON.parse((await send(receiving, delivery)).body)).toEqual({ received: true, outcome: "duplicate" });
    const first = await receive(queue.queueUrl, 1);
    expect(first).toHaveLength(1);
    await sleep(1_200);
    expect(await receive(queue.queueUrl)).toHaveLength(1);
  });
});

describe("the deployable pair: dist/aws-lambda/commercelayer-webhook.mjs and -worker.mjs", () => {
  // fauxqs's queue URLs are http://sqs.us-east-1.localhost:<port>/...: resolve *.localhost to 127.0.0.1 meanwhile.
  let restoreDns: () => void;
  beforeAll(() => {
    restoreDns = interceptLocalhostDns();
  });
  afterAll(() => restoreDns?.());

  function environment(queueUrl: string) {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", TEST_SECRET);
    vi.stubEnv("COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES", "");
    vi.stubEnv("COMMERCELAYER_WEBHOOK_QUEUE_URL", queueUrl);
    // What the Lambda runtime provides. No endpoint: as on AWS, the SDK sends to the queue URL's own host.
    vi.stubEnv("AWS_REGION", REGION);
    vi.stubEnv("AWS_ACCESS_KEY_ID", CREDENTIALS.accessKeyId);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", CREDENTIALS.secretAccessKey);
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    // With no endpoint the SDK warns that the emulator's queue URL (http://sqs.<region>.localhost:<port>/...) is not
    // the region's AWS host, and that it sends to the URL's host: what this test means it to do. On AWS the queue URL
    // is the region's host and the SDK says nothing; every other warning still prints.
    const warn = console.warn;
    vi.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
      if (!String(args[0]).includes("differs from SQSClient resolved endpoint")) warn(...args);
    });
    return lines;
  }

  // The fixture handlers (test/fixtures/handlers.ts): orders.approve deferred, orders.place direct.
  it("orders.approve is handed off and run by the worker; orders.place stays inline", async () => {
    const queue = await createQueues();
    const lines = environment(queue.queueUrl);
    const { handler: receiving } = await importBundle<{ handler: LambdaHandler }>(
      "dist/aws-lambda/commercelayer-webhook.mjs",
    );
    const { handler: worker } = await importBundle<{ handler: Worker }>(
      "dist/aws-lambda/commercelayer-webhook-worker.mjs",
    );
    const fixture = () => lines.filter((line) => line.includes(`"msg":"${FIXTURE_LINE}"`));

    expect((await send(receiving, signedDelivery("orders.place", { seed: 207 }))).status).toBe(200);
    expect(fixture()).toHaveLength(1);
    expect(JSON.parse(fixture()[0] as string)).toMatchObject({ handler: "orders.place", topic: "orders.place" });
    expect(await receive(queue.queueUrl)).toEqual([]);

    const approved = signedDelivery("orders.approve", { seed: 208 });
    const answer = await send(receiving, approved);
    expect(answer.status, lines.join("\n")).toBe(200);
    expect(fixture()).toHaveLength(1);
    const { messages, failures } = await pump(queue, worker);
    expect(messages).toHaveLength(1);
    expect(failures).toEqual([]);
    expect(fixture()).toHaveLength(2);
    // The worker's handler got the exact bytes that were signed.
    expect(JSON.parse(fixture()[1] as string)).toMatchObject({
      handler: "orders.approve",
      topic: "orders.approve",
      body: createHash("sha256").update(approved.body).digest("hex"),
    });
    const workerLine = lines.map((line) => JSON.parse(line)).find((entry) => entry.platform === "aws-lambda-worker");
    expect(workerLine).toMatchObject({ topic: "orders.approve", outcome: "handled", status: 200 });
  });

  it("without COMMERCELAYER_WEBHOOK_QUEUE_URL a deferred delivery is a clear 500, not an import crash", async () => {
    const lines = environment("");
    const { handler: receiving } = await importBundle<{ handler: LambdaHandler }>(
      "dist/aws-lambda/commercelayer-webhook.mjs",
    );
    expect((await send(receiving, signedDelivery("orders.approve", { seed: 209 }))).status).toBe(500);
    const line = lines.map((text) => JSON.parse(text)).find((entry) => entry.msg === "commercelayer webhook");
    expect(line.errors).toEqual(["Error: no SQS queue URL: set COMMERCELAYER_WEBHOOK_QUEUE_URL"]);
  });
});
