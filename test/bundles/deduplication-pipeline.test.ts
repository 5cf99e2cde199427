// Deduplication end to end: each platform's factory bundle (what a user copies) with its durable store on a
// real engine: Lambda + DynamoDB (dynalite), Vercel + Redis (redis-server), Netlify + Blobs (BlobsServer).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { lambdaEvent } from "../../infra/drive/lambda-events.ts";
import { createDynamoDbDeduplicationStore } from "../../shared/node/aws-lambda/dynamodb-deduplication-store.ts";
import { createBlobsDeduplicationStore } from "../../shared/node/netlify/blobs-deduplication-store.ts";
import { createRedisDeduplicationStore } from "../../shared/node/vercel/redis-deduplication-store.ts";
import type { DeduplicationStore } from "../../shared/webhooks/deduplication.ts";
import {
  type BlobsEngine,
  type DynamoEngine,
  type RedisEngine,
  startBlobsServer,
  startDynalite,
  startRedisServer,
} from "../services/deduplication/engines.ts";
import { importBundle } from "../support/bundles.ts";
import { signedDelivery, TEST_SECRET } from "../support/deliveries.ts";

type Handlers = Record<string, (event: { id: string }) => unknown>;
type Options = { secrets: string[]; log: () => void; deduplicate: { store: DeduplicationStore } };
type Send = (delivery: ReturnType<typeof signedDelivery>) => Promise<{ status: number; outcome: string }>;

let dynamo: DynamoEngine;
let redis: RedisEngine;
let blobs: BlobsEngine;

beforeAll(async () => {
  [dynamo, redis, blobs] = await Promise.all([startDynalite(), startRedisServer(), startBlobsServer()]);
});
afterAll(async () => {
  await Promise.all([dynamo?.stop(), redis?.stop(), blobs?.stop()]);
});
afterEach(() => vi.restoreAllMocks());

const outcome = (body: string) => {
  const parsed = JSON.parse(body) as { outcome?: string; error?: string };
  return parsed.outcome ?? parsed.error ?? "";
};

/** A receiver built by a platform's factory bundle around `handlers`, and how to send it a delivery. */
async function receiverFor(
  platform: "aws-lambda" | "vercel" | "netlify",
  handlers: Handlers,
  store: DeduplicationStore,
): Promise<Send> {
  const options: Options = { secrets: [TEST_SECRET], log: () => {}, deduplicate: { store } };
  const factory = await importBundle<
    Record<string, (handlers: Handlers, options: Options) => (...args: unknown[]) => Promise<unknown>>
  >(`dist/factories/${platform}/commercelayer-webhook-factory.mjs`);
  if (platform === "aws-lambda") {
    const handler = factory.createLambdaWebhookHandler?.(handlers, options);
    return async (delivery) => {
      const result = (await handler?.(
        lambdaEvent("http-api-v2", { method: "POST", headers: delivery.headers, body: delivery.body }, false),
      )) as { statusCode: number; body: string };
      return { status: result.statusCode, outcome: outcome(result.body) };
    };
  }
  const create = platform === "vercel" ? factory.createVercelWebhookHandler : factory.createNetlifyWebhookHandler;
  const handler = create?.(handlers, options);
  return async (delivery) => {
    const request = new Request("https://example.com/webhooks/commercelayer", {
      method: "POST",
      headers: delivery.headers,
      body: new Uint8Array(delivery.body),
    });
    const response = (await handler?.(request, {})) as Response;
    return { status: response.status, outcome: outcome(await response.text()) };
  };
}

const platforms = [
  [
    "aws-lambda + DynamoDB",
    "aws-lambda",
    () => createDynamoDbDeduplicationStore({ tableName: dynamo.tableName, client: dynamo.client() }),
  ],
  ["vercel + Redis", "vercel", () => createRedisDeduplicationStore({ url: redis.url })],
  [
    "netlify + Blobs",
    "netlify",
    () =>
      createBlobsDeduplicationStore({
        name: `claims-${Math.random().toString(36).slice(2)}`,
        siteID: blobs.siteID,
        token: blobs.token,
        edgeURL: blobs.url,
        uncachedEdgeURL: blobs.url,
      }),
  ],
] as const;

describe.each(platforms)("%s", (_name, platform, makeStore) => {
  it("runs the handlers once for a delivery sent twice in sequence and five times at once", async () => {
    const runs: string[] = [];
    const send = await receiverFor(platform, { "orders.place": (event) => void runs.push(event.id) }, makeStore());
    const first = signedDelivery("orders.place", { seed: 101 });
    expect(await send(first)).toEqual({ status: 200, outcome: "handled" });
    expect(await send(first)).toEqual({ status: 200, outcome: "duplicate" });
    const second = signedDelivery("orders.place", { seed: 102 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(second)));
    expect(answers.filter((answer) => answer.outcome === "handled")).toHaveLength(1);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(runs).toHaveLength(2);
  });

  it("releases the claim of a failed delivery so that the retry runs", async () => {
    let attempts = 0;
    const send = await receiverFor(
      platform,
      {
        "orders.place": () => {
          attempts++;
          if (attempts === 1) throw new Error("downstream unavailable");
        },
      },
      makeStore(),
    );
    const delivery = signedDelivery("orders.place", { seed: 103 });
    expect(await send(delivery)).toEqual({ status: 500, outcome: "handler_failed" });
    expect(await send(delivery)).toEqual({ status: 200, outcome: "handled" });
    expect(attempts).toBe(2);
  });
});

describe("a store outage", () => {
  it("answers 500 and runs no handler (Redis stopped)", async () => {
    const engine = await startRedisServer();
    const handler = vi.fn();
    const send = await receiverFor(
      "vercel",
      { "orders.place": handler },
      createRedisDeduplicationStore({ url: engine.url }),
    );
    expect((await send(signedDelivery("orders.place", { seed: 104 }))).outcome).toBe("handled");
    await engine.stop();
    expect(await send(signedDelivery("orders.place", { seed: 105 }))).toEqual({
      status: 500,
      outcome: "deduplication_store_unavailable",
    });
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
