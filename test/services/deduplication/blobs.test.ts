// The Netlify Blobs store (shared/node/netlify/blobs-deduplication-store.ts) on @netlify/blobs' own BlobsServer, on loopback.
import { getStore } from "@netlify/blobs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type BlobsDeduplicationStoreOptions,
  createBlobsDeduplicationStore,
} from "../../../shared/node/netlify/blobs-deduplication-store.ts";
import { type DeduplicationStoreHarness, describeDeduplicationStore } from "./deduplication-store-suite.ts";
import { type BlobsEngine, closedPort, LOOPBACK, startBlobsServer, unresponsiveServer } from "./engines.ts";

let engine: BlobsEngine | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  engine = await startBlobsServer();
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup().catch(() => {});
  await engine?.stop();
});

function running(): BlobsEngine {
  if (engine === undefined) throw new Error("BlobsServer did not start");
  return engine;
}

const at = (url: string, extra: BlobsDeduplicationStoreOptions = {}): BlobsDeduplicationStoreOptions => ({
  siteID: running().siteID,
  token: running().token,
  edgeURL: url,
  uncachedEdgeURL: url,
  ...extra,
});

const harness = (): DeduplicationStoreHarness => ({
  create: () => createBlobsDeduplicationStore(at(running().url)),
  expirySlackMs: 0,
  outages: {
    closedPort: async () => createBlobsDeduplicationStore(at(`http://${LOOPBACK}:${await closedPort()}`)),
    unresponsive: async () => {
      const server = await unresponsiveServer();
      cleanups.push(server.stop);
      return createBlobsDeduplicationStore(at(`http://${LOOPBACK}:${server.port}`));
    },
    stopEngine: () => running().stop(),
  },
});

describe("Netlify Blobs store details", () => {
  test("keeps the expiry and a claim id in the blob, in the named store", async () => {
    const store = createBlobsDeduplicationStore(at(running().url, { name: "claims-test" }));
    const before = Date.now();
    expect(await store.claim("blob-value", 60)).toBe(true);
    const raw = getStore({
      name: "claims-test",
      siteID: running().siteID,
      token: running().token,
      edgeURL: running().url,
    });
    const value = (await raw.get("blob-value", { type: "json" })) as { expiresAt: number; claimId: string };
    expect(value.expiresAt).toBeGreaterThanOrEqual(before + 60_000);
    expect(value.claimId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("a server error is a rejection, not a claim (@netlify/blobs would call it modified)", async () => {
    const failing: typeof fetch = async () => new Response("boom", { status: 500 });
    const store = createBlobsDeduplicationStore(at(running().url, { fetch: failing }));
    const started = performance.now();
    await expect(store.claim("server-error", 60)).rejects.toThrow(/unavailable/);
    expect(performance.now() - started).toBeLessThan(500);
  });

  test("a live claim written by another instance is a duplicate", async () => {
    const store = createBlobsDeduplicationStore(at(running().url, { name: "claims-foreign" }));
    const raw = getStore({
      name: "claims-foreign",
      siteID: running().siteID,
      token: running().token,
      edgeURL: running().url,
    });
    await raw.set("foreign", JSON.stringify({ expiresAt: Date.now() + 60_000, claimId: "x" }));
    expect(await store.claim("foreign", 60)).toBe(false);
  });
});

describeDeduplicationStore("netlify-blobs", harness);
