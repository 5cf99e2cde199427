// The built bundles behind serverless-offline (Serverless v3), over real HTTP, in a scratch copy of the deployed
// service (createScratchService: the root serverless.yml as it is, with dist/aws-lambda built from the suites' own
// handlers, test/fixtures/handlers.ts): the HTTP API route of the root serverless.yml (payload 2.0; the receiving
// function, which hands the deferred orders.approve to SQS: here a local fauxqs queue) and a test-only API Gateway REST
// (v1) route to the same bundle, both declared in serverless.offline.yml. The root file's worker function is then
// invoked (serverless-offline's Lambda Invoke API) with the SQS event AWS would build from the queued message. The
// `event-probe` routes record what the emulator hands a function, where it differs from AWS.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueArnOf, sqsEvent } from "../../../infra/drive/sqs-events.ts";
import { FIXTURE_LINE } from "../../fixtures/handlers.ts";
import { type SignedDelivery, signedBody, signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";
import { waitForJsonLine } from "../../support/log-lines.ts";
import { type LocalQueue, startLocalQueue } from "./local-queue.ts";
import {
  assertPrerequisites,
  createScratchService,
  type HttpAnswer,
  type OfflineServer,
  type ScratchService,
  send,
  startOffline,
} from "./serverless-cli.ts";

/** Small enough to test cheaply, above the largest sample (orders.place with its includes, about 36 KB). */
const MAX_BODY_BYTES = 64 * 1024;

const HTTP_API_PATH = "/webhooks/commercelayer";
/** REST APIs put the stage first in the path, on AWS as in serverless-offline. */
const REST_PATH = "/dev/webhooks/commercelayer";

/** The worker function of the root serverless.yml, as serverless-offline names it: <service>-<stage>-<function>. */
const WORKER_FUNCTION = "commercelayer-webhooks-offline-dev-commercelayer-webhook-worker";

let server: OfflineServer;
let home: string;
let queue: LocalQueue;
let service: ScratchService;

beforeAll(async () => {
  assertPrerequisites();
  home = mkdtempSync(join(tmpdir(), "cl-sls-offline-"));
  service = createScratchService({ offline: true });
  queue = await startLocalQueue();
  server = await startOffline({
    cwd: service.offlineDir,
    home,
    env: {
      COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET,
      COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
      COMMERCELAYER_WEBHOOK_QUEUE_URL: queue.queueUrl,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    },
    readyTimeoutMs: 60_000,
  });
});

afterAll(async () => {
  await server?.stop();
  await queue?.stop();
  for (const dir of [home, service?.root]) if (dir) rmSync(dir, { recursive: true, force: true });
});

type HeaderList = ReadonlyArray<readonly [string, string]>;

function headerList(delivery: SignedDelivery, overrides: Record<string, string | undefined> = {}): HeaderList {
  const merged: Record<string, string | undefined> = { ...delivery.headers, ...overrides };
  return Object.entries(merged).flatMap(([name, value]) => (value === undefined ? [] : [[name, value] as const]));
}

function post(path: string, delivery: SignedDelivery, overrides: Record<string, string | undefined> = {}) {
  return send(`${server.baseUrl}${path}`, { headers: headerList(delivery, overrides), body: delivery.body });
}

function json(answer: HttpAnswer): unknown {
  return JSON.parse(answer.text);
}

/** An orders.place body as Commerce Layer writes it, with one more attribute spliced into the raw text. */
function orderWith(attribute: string): Buffer {
  const body = signedDelivery("orders.place").body.toString("utf8");
  return Buffer.from(body.replace('"attributes":{', `"attributes":{${attribute},`), "utf8");
}

/** The function logs one JSON line per delivery on stdout; serverless-offline passes it through. */
async function deliveryLog(match: (entry: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (let waited = 0; waited <= 3_000; waited += 50) {
    for (const line of server.stdout().split("\n")) {
      if (!line.startsWith('{"level"')) continue;
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === "commercelayer webhook" && match(entry)) return entry;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no matching delivery log line in:\n${server.stdout()}`);
}

describe.each([
  { api: "HTTP API (payload 2.0), from the root serverless.yml", path: HTTP_API_PATH },
  { api: "REST API (v1), test-only route", path: REST_PATH },
])("serverless-offline, $api: POST $path", ({ path }) => {
  it("handles orders.place, with non-ASCII text and Ruby-style floats, byte-exact: 200 handled", async () => {
    const delivery = signedDelivery("orders.place");
    const text = delivery.body.toString("utf8");
    expect(text).toMatch(/\P{ASCII}/u);
    expect(text).toMatch(/":\d+\.0[,}]/);
    const answer = await post(path, delivery);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('{"received":true,"outcome":"handled"}');
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("verifies emoji and other multi-byte characters over the exact bytes: 200", async () => {
    const body = orderWith('"metadata_note":"🛒📦 Grüße – 東京 ✓ 1.0"');
    const answer = await post(path, signedBody("orders.place", body));
    expect(answer.status).toBe(200);
    expect(json(answer)).toEqual({ received: true, outcome: "handled" });
  });

  it("acknowledges a topic it has no handler for, even one Commerce Layer adds later: 200 ignored", async () => {
    for (const topic of ["skus.create", "loyalty_cards.redeem"]) {
      const answer = await post(path, signedDelivery(topic));
      expect(answer.status, topic).toBe(200);
      expect(json(answer), topic).toEqual({ received: true, outcome: "ignored" });
    }
  });

  it("refuses a wrong signature: 401", async () => {
    const forged = signedBody("orders.place", signedDelivery("orders.place").body, "not-the-secret");
    const answer = await post(path, forged);
    expect(answer.status).toBe(401);
    expect(json(answer)).toEqual({ error: "invalid_signature" });
  });

  it("refuses a missing signature: 401", async () => {
    const answer = await post(path, signedDelivery("orders.place"), { "x-commercelayer-signature": undefined });
    expect(answer.status).toBe(401);
    expect(json(answer)).toEqual({ error: "missing_signature" });
  });

  it("refuses a signed body whose data.type disagrees with the (unsigned) topic header: 400", async () => {
    const answer = await post(path, signedBody("customers.create", signedDelivery("orders.place").body));
    expect(answer.status).toBe(400);
    expect(json(answer)).toEqual({ error: "topic_type_mismatch" });
  });

  it("decodes a body the emulator base64-encodes (application/octet-stream) and still verifies it: 200", async () => {
    const answer = await post(path, signedDelivery("orders.place"), { "content-type": "application/octet-stream" });
    expect(answer.status).toBe(200);
    expect(json(answer)).toEqual({ received: true, outcome: "handled" });
  });

  it("reads the headers whatever their case, as Commerce Layer writes them (X-CommerceLayer-Signature): 200", async () => {
    const delivery = signedDelivery("shipments.ship");
    const headers: HeaderList = [
      ["Content-Type", "application/json"],
      ["X-CommerceLayer-Topic", delivery.topic],
      ["X-CommerceLayer-Signature", delivery.headers["x-commercelayer-signature"] ?? ""],
    ];
    const answer = await send(`${server.baseUrl}${path}`, { headers, body: delivery.body });
    expect(answer.status).toBe(200);
    expect(json(answer)).toEqual({ received: true, outcome: "handled" });
  });

  it("refuses a body over COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES (set from the environment), even signed: 413", async () => {
    const body = orderWith(`"padding":"${"x".repeat(MAX_BODY_BYTES)}"`);
    const answer = await post(path, signedBody("orders.place", body));
    expect(answer.status).toBe(413);
    expect(json(answer)).toEqual({ error: "body_too_large" });
  });

  it("GET never reaches the function: the emulator answers 404 route not found (AWS: 404 HTTP API, 403 REST)", async () => {
    // Only POST is routed. AWS answers an HTTP API with 404 {"message":"Not Found"} and a REST API with
    // 403 {"message":"Missing Authentication Token"}; serverless-offline answers both with its own 404.
    const answer = await send(`${server.baseUrl}${path}`, { method: "GET" });
    expect(answer.status).toBe(404);
    expect(json(answer)).toMatchObject({ error: "Serverless-offline: route not found.", statusCode: 404 });
  });
});

function sha256(body: Buffer): string {
  return createHash("sha256").update(body).digest("hex");
}

function idOf(delivery: SignedDelivery): string {
  return (JSON.parse(delivery.body.toString("utf8")) as { data: { id: string } }).data.id;
}

/** A JSON line the functions printed on stdout after `since` (an output length), polled until it comes. */
function jsonLine(since: number, match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return waitForJsonLine(() => server.stdout().slice(since), match, 5_000);
}

/** The `fixture handler` lines (test/fixtures/handlers.ts) printed after `since`. */
function fixtureLines(since: number): Record<string, unknown>[] {
  return server
    .stdout()
    .slice(since)
    .split("\n")
    .filter((line) => line.startsWith(`{"msg":"${FIXTURE_LINE}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Invokes the root file's worker function through serverless-offline's Lambda Invoke API (RequestResponse). */
async function invokeWorker(event: unknown): Promise<unknown> {
  const response = await fetch(`${server.lambdaUrl}/2015-03-31/functions/${WORKER_FUNCTION}/invocations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(event),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(response.headers.get("x-amz-function-error"), text).toBeNull();
  return JSON.parse(text);
}

describe("serverless-offline: the root serverless.yml runs a deferred handler end to end (HTTP API → SQS → worker)", () => {
  let sqs: SQSClient;
  const drain = async () =>
    (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.queueUrl, MaxNumberOfMessages: 10 }))).Messages ?? [];

  beforeAll(async () => {
    sqs = new SQSClient({ endpoint: queue.endpoint, region: "us-east-1", credentials: queue.credentials });
    await drain();
  });

  afterAll(() => sqs?.destroy());

  it("queues orders.approve (deferred) byte-exact without running it, runs shipments.ship and orders.place inline", async () => {
    const since = server.stdout().length;
    const approved = signedDelivery("orders.approve", { seed: 31 });
    const approveAnswer = await post(HTTP_API_PATH, approved);
    expect(approveAnswer.status, approveAnswer.text).toBe(200);
    expect(json(approveAnswer)).toEqual({ received: true, outcome: "handled" });
    const shipped = signedDelivery("shipments.ship", { seed: 32 });
    expect((await post(HTTP_API_PATH, shipped)).status).toBe(200);
    const placed = signedDelivery("orders.place", { seed: 33 });
    expect((await post(HTTP_API_PATH, placed)).status).toBe(200);
    const messages = await drain();
    expect(messages.map((message) => JSON.parse(message.Body as string))).toEqual([
      {
        topic: "orders.approve",
        signature: approved.headers["x-commercelayer-signature"],
        // Base64 of the exact bytes received: nothing on the way can re-encode them.
        body: approved.body.toString("base64"),
        encoding: "base64",
      },
    ]);
    // The direct handlers ran inside the request, on the exact bytes; the deferred one did not.
    for (const [delivery, handler] of [
      [shipped, "shipments.*"],
      [placed, "orders.place"],
    ] as const) {
      const line = await jsonLine(since, (entry) => entry.msg === FIXTURE_LINE && entry.handler === handler);
      expect(line).toEqual({
        msg: FIXTURE_LINE,
        handler,
        topic: delivery.topic,
        id: idOf(delivery),
        body: sha256(delivery.body),
      });
    }
    expect(fixtureLines(since).map((line) => line.handler)).not.toContain("orders.approve");
  });

  it("the worker function, given the SQS event of the queued message, runs orders.approve on the exact body", async () => {
    const approved = signedDelivery("orders.approve", { seed: 34 });
    expect((await post(HTTP_API_PATH, approved)).status).toBe(200);
    const messages = await drain();
    expect(messages).toHaveLength(1);
    const since = server.stdout().length;
    expect(await invokeWorker(sqsEvent(messages, queueArnOf(queue.queueUrl)))).toEqual({ batchItemFailures: [] });
    const line = await jsonLine(since, (entry) => entry.msg === FIXTURE_LINE && entry.handler === "orders.approve");
    expect(line).toEqual({
      msg: FIXTURE_LINE,
      handler: "orders.approve",
      topic: "orders.approve",
      id: idOf(approved),
      body: sha256(approved.body),
    });
    await jsonLine(
      since,
      (entry) =>
        entry.msg === "commercelayer webhook" &&
        entry.platform === "aws-lambda-worker" &&
        entry.id === idOf(approved) &&
        entry.outcome === "handled",
    );
  });

  it("a deferred handler that throws: the worker reports that record alone in batchItemFailures, for SQS to retry", async () => {
    const cancelled = signedDelivery("orders.cancel", { seed: 35 });
    const approved = signedDelivery("orders.approve", { seed: 36 });
    for (const delivery of [cancelled, approved]) {
      const answer = await post(HTTP_API_PATH, delivery);
      expect(answer.status, answer.text).toBe(200);
    }
    const messages = await drain();
    expect(messages).toHaveLength(2);
    const failing = messages.find((message) => JSON.parse(message.Body as string).topic === "orders.cancel");
    const since = server.stdout().length;
    expect(await invokeWorker(sqsEvent(messages, queueArnOf(queue.queueUrl)))).toEqual({
      batchItemFailures: [{ itemIdentifier: failing?.MessageId }],
    });
    await jsonLine(since, (entry) => entry.msg === FIXTURE_LINE && entry.id === idOf(approved));
    await jsonLine(
      since,
      (entry) =>
        entry.msg === "commercelayer webhook" &&
        entry.platform === "aws-lambda-worker" &&
        entry.id === idOf(cancelled) &&
        entry.outcome === "failed",
    );
  });

  it("a tampered message is refused by the worker (signature checked again) and runs nothing", async () => {
    const approved = signedDelivery("orders.approve", { seed: 37 });
    expect((await post(HTTP_API_PATH, approved)).status).toBe(200);
    const [message] = await drain();
    if (message === undefined) throw new Error("no queued message");
    const queued = JSON.parse(message.Body as string) as { body: string; encoding: string };
    expect(queued.encoding).toBe("base64");
    const altered = Buffer.from(queued.body, "base64").toString("utf8").replace(idOf(approved), "tamperedXX");
    expect(altered).not.toBe(approved.body.toString("utf8"));
    const body = JSON.stringify({ ...queued, body: Buffer.from(altered, "utf8").toString("base64") });
    const tampered = { ...message, Body: body };
    const since = server.stdout().length;
    expect(await invokeWorker(sqsEvent([tampered], queueArnOf(queue.queueUrl)))).toEqual({
      batchItemFailures: [{ itemIdentifier: message.MessageId }],
    });
    const log = await jsonLine(
      since,
      (entry) => entry.msg === "commercelayer webhook" && entry.platform === "aws-lambda-worker",
    );
    expect(log).toMatchObject({ outcome: "rejected", reason: "invalid_signature" });
    expect(fixtureLines(since)).toEqual([]);
  });
});

describe("serverless-offline: the structured delivery log", () => {
  it("prints one JSON line per delivery on stdout, without the secret or the signature", async () => {
    const delivery = signedDelivery("customers.create", { seed: 7 });
    const id = (JSON.parse(delivery.body.toString("utf8")) as { data: { id: string } }).data.id;
    expect((await post(HTTP_API_PATH, delivery)).status).toBe(200);
    const entry = await deliveryLog((line) => line.id === id);
    expect(entry).toMatchObject({ platform: "aws-lambda", topic: "customers.create", outcome: "handled", status: 200 });
    expect(typeof entry.ms).toBe("number");
    expect(server.stdout()).not.toContain(TEST_SECRET);
    expect(server.stdout()).not.toContain(delivery.headers["x-commercelayer-signature"]);
  });
});

describe("serverless-offline without COMMERCELAYER_WEBHOOK_SECRET (the deployed default is an empty string)", () => {
  let unconfigured: OfflineServer;

  beforeAll(async () => {
    unconfigured = await startOffline({ cwd: service.offlineDir, home, env: {}, readyTimeoutMs: 60_000 });
  });

  afterAll(async () => {
    await unconfigured?.stop();
  });

  it("fails closed: every delivery, even correctly signed, gets 500 no_secret_configured", async () => {
    const delivery = signedDelivery("orders.place");
    const answer = await send(`${unconfigured.baseUrl}${HTTP_API_PATH}`, {
      headers: headerList(delivery),
      body: delivery.body,
    });
    expect(answer.status).toBe(500);
    expect(json(answer)).toEqual({ error: "no_secret_configured" });
  });
});

interface ProbeAnswer {
  event: {
    version?: string;
    routeKey?: string;
    path?: string;
    body: string | null;
    isBase64Encoded: boolean;
    headers: Record<string, string>;
    multiValueHeaders?: Record<string, string[]>;
    requestContext: { stage: string; http?: { method: string } };
  };
  context: { memoryLimitInMB: string; remainingTimeInMillis: number };
}

async function probe(path: string, headers: HeaderList, body: Buffer): Promise<ProbeAnswer> {
  const answer = await send(`${server.baseUrl}${path}`, { headers, body });
  expect(answer.status).toBe(200);
  return JSON.parse(answer.text) as ProbeAnswer;
}

function bodyBytes(event: ProbeAnswer["event"]): Buffer {
  return Buffer.from(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8");
}

// What serverless-offline 13.10.1 hands a function, recorded. Where AWS differs, the comment says how; the unit tests
// of the adapter cover the AWS shapes.
describe("serverless-offline: the events it builds (recorded; AWS differs where noted)", () => {
  const sample = Buffer.from('{"note":"🛒 1.0"}', "utf8");

  it("HTTP API: payload 2.0 from the root file's settings, with its memory size and 6 s timeout", async () => {
    const { event, context } = await probe("/probe", [["Content-Type", "application/json"]], sample);
    expect(event.version).toBe("2.0");
    expect(event.routeKey).toBe("POST /probe");
    expect(event.requestContext.stage).toBe("$default");
    expect(event.requestContext.http?.method).toBe("POST");
    expect(event.isBase64Encoded).toBe(false);
    expect(bodyBytes(event).equals(sample)).toBe(true);
    // Header names lower-cased, as on AWS.
    expect(event.headers["content-type"]).toBe("application/json");
    expect(context.memoryLimitInMB).toBe("256");
    expect(context.remainingTimeInMillis).toBeLessThanOrEqual(6_000);
    expect(context.remainingTimeInMillis).toBeGreaterThan(5_000);
  });

  it("HTTP API: base64 for application/octet-stream (as AWS), text for text/plain (as AWS)", async () => {
    const binary = await probe("/probe", [["Content-Type", "application/octet-stream"]], sample);
    expect(binary.event.isBase64Encoded).toBe(true);
    expect(bodyBytes(binary.event).equals(sample)).toBe(true);
    const text = await probe("/probe", [["Content-Type", "text/plain"]], sample);
    expect(text.event.isBase64Encoded).toBe(false);
  });

  it("HTTP API without Content-Type: the emulator says application/json and sends text (AWS: base64, no header)", async () => {
    const { event } = await probe("/probe", [], sample);
    expect(event.headers["content-type"]).toBe("application/json");
    expect(event.isBase64Encoded).toBe(false);
    expect(bodyBytes(event).equals(sample)).toBe(true);
  });

  it("HTTP API with a header sent twice: the emulator keeps the last value (AWS joins them with a comma)", async () => {
    const headers: HeaderList = [
      ["Content-Type", "application/json"],
      ["X-CommerceLayer-Signature", "first"],
      ["X-CommerceLayer-Signature", "second"],
    ];
    const { event } = await probe("/probe", headers, sample);
    expect(event.headers["x-commercelayer-signature"]).toBe("second");
  });

  it("HTTP API with bytes that are not UTF-8: replaced by U+FFFD in a JSON body, kept in an octet-stream one", async () => {
    // Commerce Layer sends UTF-8 JSON, so this only matters to other senders; AWS keeps bytes in base64 bodies.
    const invalid = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const asJson = await probe("/probe", [["Content-Type", "application/json"]], invalid);
    expect(bodyBytes(asJson.event).equals(invalid)).toBe(false);
    expect(asJson.event.body).toContain("\ufffd");
    const asBinary = await probe("/probe", [["Content-Type", "application/octet-stream"]], invalid);
    expect(bodyBytes(asBinary.event).equals(invalid)).toBe(true);
  });

  it("REST: the sender's header case, every value in multiValueHeaders; the bundle refuses a duplicated signature", async () => {
    const headers: HeaderList = [
      ["Content-Type", "application/json"],
      ["X-CommerceLayer-Signature", "first"],
      ["X-CommerceLayer-Signature", "second"],
    ];
    const { event } = await probe("/dev/probe", headers, sample);
    expect(event.path).toBe("/probe");
    expect(event.requestContext.stage).toBe("dev");
    expect(event.headers["X-CommerceLayer-Signature"]).toBe("second");
    expect(event.multiValueHeaders?.["X-CommerceLayer-Signature"]).toEqual(["first", "second"]);

    const delivery = signedDelivery("orders.place");
    const signature = delivery.headers["x-commercelayer-signature"] ?? "";
    const duplicated: HeaderList = [...headerList(delivery), ["X-CommerceLayer-Signature", signature]];
    const answer = await send(`${server.baseUrl}${REST_PATH}`, { headers: duplicated, body: delivery.body });
    expect(answer.status).toBe(401);
    expect(json(answer)).toEqual({ error: "duplicate_signature_header" });
  });

  it("REST: base64 for application/octet-stream even without binaryMediaTypes (AWS: text unless configured)", async () => {
    const { event } = await probe("/dev/probe", [["Content-Type", "application/octet-stream"]], sample);
    expect(event.isBase64Encoded).toBe(true);
    expect(bodyBytes(event).equals(sample)).toBe(true);
  });
});
