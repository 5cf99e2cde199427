// The DynamoDB store (shared/node/aws-lambda/dynamodb-deduplication-store.ts) on dynalite, DynamoDB's API served on loopback.
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { createDynamoDbDeduplicationStore } from "../../../shared/node/aws-lambda/dynamodb-deduplication-store.ts";
import { type DeduplicationStoreHarness, describeDeduplicationStore } from "./deduplication-store-suite.ts";
import { closedPort, type DynamoEngine, LOOPBACK, startDynalite, unresponsiveServer } from "./engines.ts";

let engine: DynamoEngine | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  engine = await startDynalite();
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup().catch(() => {});
  await engine?.stop();
});

function running(): DynamoEngine {
  if (engine === undefined) throw new Error("dynalite did not start");
  return engine;
}

const harness = (): DeduplicationStoreHarness => {
  const { tableName, client } = running();
  return {
    create: () => createDynamoDbDeduplicationStore({ tableName, client: client() }),
    // expiresAt is in whole seconds: a claim is held for at least its TTL and less than one second more.
    expirySlackMs: 1000,
    outages: {
      closedPort: async () =>
        createDynamoDbDeduplicationStore({ tableName, client: client(`http://${LOOPBACK}:${await closedPort()}`) }),
      unresponsive: async () => {
        const server = await unresponsiveServer();
        cleanups.push(server.stop);
        return createDynamoDbDeduplicationStore({ tableName, client: client(`http://${LOOPBACK}:${server.port}`) });
      },
      stopEngine: () => running().stop(),
    },
  };
};

describe("DynamoDB store details", () => {
  test("writes a numeric epoch-seconds TTL attribute that DynamoDB's TTL can use", async () => {
    const { tableName, client } = running();
    const store = createDynamoDbDeduplicationStore({ tableName, client: client() });
    const before = Math.floor(Date.now() / 1000);
    expect(await store.claim("ttl-attribute", 3600)).toBe(true);
    const { Item } = await client().send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: "ttl-attribute" } } }),
    );
    const expiresAt = Number(Item?.expiresAt?.N);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 3600);
    expect(expiresAt).toBeLessThanOrEqual(before + 3601);
  });

  test("an expired item that TTL has not deleted yet is free (the condition, not TTL, decides)", async () => {
    const { tableName, client } = running();
    let now = Date.parse("2026-01-01T00:00:00Z");
    const store = createDynamoDbDeduplicationStore({ tableName, client: client(), now: () => now });
    expect(await store.claim("lazy-ttl", 60)).toBe(true);
    now += 60_000;
    expect(await store.claim("lazy-ttl", 60)).toBe(false);
    now += 1000;
    expect(await store.claim("lazy-ttl", 60)).toBe(true);
  });

  test("a retried write whose first attempt landed is still this claim's (DynamoDB returns the item it failed on)", async () => {
    const { tableName, client } = running();
    const real = client();
    // An SDK retry seen from the store: the write lands, its answer is lost, the retry's condition fails on it.
    const flaky = {
      send: async (command: Parameters<typeof real.send>[0]) => {
        await real.send(command);
        const input = command.input as { Item?: Record<string, unknown> };
        throw Object.assign(new Error("The conditional request failed"), {
          name: "ConditionalCheckFailedException",
          Item: input.Item,
        });
      },
    } as unknown as typeof real;
    expect(await createDynamoDbDeduplicationStore({ tableName, client: flaky }).claim("retried", 60)).toBe(true);
    // Someone else's item is still a duplicate.
    expect(await createDynamoDbDeduplicationStore({ tableName, client: flaky }).claim("retried", 60)).toBe(false);
  });

  test("without a client, builds one from the environment (region, credentials, endpoint)", async () => {
    vi.stubEnv("AWS_REGION", "us-east-1");
    vi.stubEnv("AWS_ACCESS_KEY_ID", "local");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
    vi.stubEnv("AWS_ENDPOINT_URL_DYNAMODB", running().endpoint);
    try {
      const store = createDynamoDbDeduplicationStore({ tableName: running().tableName });
      expect(await store.claim("default-client", 60)).toBe(true);
      expect(await store.claim("default-client", 60)).toBe(false);
      await store.release("default-client");
      expect(await store.claim("default-client", 60)).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describeDeduplicationStore("dynamodb", harness);
