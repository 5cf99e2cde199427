// The Redis store (shared/node/vercel/redis-deduplication-store.ts) on a real redis-server, started here on loopback.
import { setTimeout as sleep } from "node:timers/promises";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createRedisDeduplicationStore } from "../../../shared/node/vercel/redis-deduplication-store.ts";
import type { DeduplicationStore } from "../../../shared/webhooks/deduplication.ts";
import { type DeduplicationStoreHarness, describeDeduplicationStore } from "./deduplication-store-suite.ts";
import { closedPort, LOOPBACK, type RedisEngine, startRedisServer, unresponsiveServer } from "./engines.ts";

let engine: RedisEngine | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  engine = await startRedisServer();
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup().catch(() => {});
  await engine?.stop();
});

function running(): RedisEngine {
  if (engine === undefined) throw new Error("redis-server did not start");
  return engine;
}

const harness = (): DeduplicationStoreHarness => ({
  create: () => createRedisDeduplicationStore({ url: running().url }),
  expirySlackMs: 0,
  outages: {
    closedPort: async () => createRedisDeduplicationStore({ url: `redis://${LOOPBACK}:${await closedPort()}` }),
    unresponsive: async () => {
      const server = await unresponsiveServer();
      cleanups.push(server.stop);
      return createRedisDeduplicationStore({ url: `redis://${LOOPBACK}:${server.port}` });
    },
    stopEngine: () => running().stop(),
  },
});

describe("Redis store with a client of your own", () => {
  test("connects it lazily, then claims and releases through it", async () => {
    const client = createClient({ url: running().url });
    client.on("error", () => {});
    const store: DeduplicationStore = createRedisDeduplicationStore({ client });
    expect(client.isOpen).toBe(false);
    const [first, second] = await Promise.all([store.claim("own-client", 60), store.claim("own-client", 60)]);
    expect([first, second].sort()).toEqual([false, true]);
    expect(await client.ttl("own-client")).toBeGreaterThan(55);
    await store.release("own-client");
    expect(await client.exists("own-client")).toBe(0);
    client.destroy();
  });

  test("a connection the server dropped (idle timeout, restart) is replaced at the next claim, not retried forever", async () => {
    const store = createRedisDeduplicationStore({ url: running().url });
    expect(await store.claim("dropped-1", 60)).toBe(true);
    const admin = createClient({ url: running().url });
    admin.on("error", () => {});
    await admin.connect();
    await admin.clientKill({ filter: "SKIPME", skipMe: true });
    await sleep(100);
    expect(await store.claim("dropped-2", 60)).toBe(true);
    expect(await store.claim("dropped-1", 60)).toBe(false);
    // Exactly one connection from the store (plus the admin's): the dropped one was not reconnected in the background.
    expect(await admin.clientList()).toHaveLength(2);
    admin.destroy();
  });

  test("rounds a fractional TTL up to whole seconds (EX) and refuses one that is not positive", async () => {
    const store = createRedisDeduplicationStore({ url: running().url });
    expect(await store.claim("fractional-ttl", 0.2)).toBe(true);
    expect(await store.claim("fractional-ttl", 0.2)).toBe(false);
    await expect(store.claim("zero-ttl", 0)).rejects.toThrow(RangeError);
    await expect(store.claim("nan-ttl", Number.NaN)).rejects.toThrow(RangeError);
  });
});

describeDeduplicationStore("redis", harness);
