// The Netlify Blobs store (functions/netlify/blobs-claim-store.ts) on @netlify/blobs' own BlobsServer, on loopback.
import { getStore } from "@netlify/blobs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type BlobsClaimStoreOptions,
  createBlobsClaimStore,
} from "../../../src/platforms/netlify/blobs-claim-store.ts";
import { type ClaimStoreHarness, describeClaimStore } from "./claim-store-suite.ts";
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

const at = (url: string, extra: BlobsClaimStoreOptions = {}): BlobsClaimStoreOptions => ({
  siteID: running().siteID,
  token: running().token,
  edgeURL: url,
  uncachedEdgeURL: url,
  ...extra,
});

const harness = (): ClaimStoreHarness => ({
  create: () => createBlobsClaimStore(at(running().url)),
  expirySlackMs: 0,
  outages: {
    closedPort: async () => createBlobsClaimStore(at(`http://${LOOPBACK}:${await closedPort()}`)),
    unresponsive: async () => {
      const server = await unresponsiveServer();
      cleanups.push(server.stop);
      return createBlobsClaimStore(at(`http://${LOOPBACK}:${server.port}`));
    },
    stopEngine: () => running().stop(),
  },
});

describe("Netlify Blobs store details", () => {
  test("keeps the expiry and a claim id in the blob, in the named store", async () => {
    const store = createBlobsClaimStore(at(running().url, { name: "claims-test" }));
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
    const store = createBlobsClaimStore(at(running().url, { fetch: failing }));
    const started = performance.now();
    await expect(store.claim("server-error", 60)).rejects.toThrow(/unavailable/);
    expect(performance.now() - started).toBeLessThan(500);
  });

  test("a live claim written by another instance is a duplicate", async () => {
    const store = createBlobsClaimStore(at(running().url, { name: "claims-foreign" }));
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

describeClaimStore("netlify-blobs", harness);
