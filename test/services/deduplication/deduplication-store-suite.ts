// The behaviour every DeduplicationStore must have, written once and run against each store on its real engine.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, test } from "vitest";
import type { DeduplicationStore } from "../../../shared/webhooks/deduplication.ts";

export interface DeduplicationStoreHarness {
  /** A new store instance, with its own connection, as a separate serverless instance would have. */
  create(): DeduplicationStore;
  /** How much longer than its TTL a claim may be held (a store that counts whole seconds: up to 1000 ms). */
  readonly expirySlackMs: number;
  /** For stores that can be unreachable (all but memory). */
  readonly outages?: {
    /** A store pointed at a loopback port where nothing listens. */
    closedPort(): Promise<DeduplicationStore>;
    /** A store pointed at a loopback server that accepts connections and never answers. */
    unresponsive(): Promise<DeduplicationStore>;
    /** Stops the engine for good: the outage tests run last. */
    stopEngine(): Promise<void>;
  };
}

/** Longest a claim may take to reject when its store cannot answer. */
export const OUTAGE_BOUND_MS = 2000;

const uniqueKey = () => `delivery-${randomUUID()}`;

async function settleWithin<T>(promise: Promise<T>, guardMs: number) {
  const started = performance.now();
  const outcome = await Promise.race([
    promise.then(
      (value) => ({ resolved: value }) as const,
      (error: unknown) => ({ rejected: error }) as const,
    ),
    sleep(guardMs).then(() => ({ pending: true }) as const),
  ]);
  return { outcome, ms: performance.now() - started };
}

async function expectRejectsQuickly(claim: Promise<boolean>): Promise<void> {
  const { outcome, ms } = await settleWithin(claim, 5000);
  expect(outcome, "a claim on an unreachable store must reject, never resolve").toHaveProperty("rejected");
  expect(ms).toBeLessThan(OUTAGE_BOUND_MS);
}

/**
 * Registers the suite. `harness` is called inside the tests, once the test file's beforeAll has started the engine.
 * `withOutages: false` only for the memory store, which cannot be unreachable.
 */
export function describeDeduplicationStore(
  name: string,
  harness: () => DeduplicationStoreHarness,
  withOutages = true,
): void {
  describe(`${name}: deduplication store behaviour`, () => {
    test("the first claim takes the key; a second one, later, does not; other keys are unaffected", async () => {
      const store = harness().create();
      const key = uniqueKey();
      expect(await store.claim(key, 60)).toBe(true);
      expect(await store.claim(key, 60)).toBe(false);
      expect(await harness().create().claim(key, 60)).toBe(false);
      expect(await store.claim(uniqueKey(), 60)).toBe(true);
    });

    test("concurrent claims of one key from several instances: exactly one wins", async () => {
      const stores = Array.from({ length: 4 }, () => harness().create());
      const key = uniqueKey();
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, index) => stores[index % stores.length]?.claim(key, 60)),
      );
      expect(results.filter((result) => result === true)).toHaveLength(1);
      expect(results.filter((result) => result === false)).toHaveLength(23);
    });

    test("a released claim can be taken again, once; releasing a free key is harmless", async () => {
      const [first, second] = [harness().create(), harness().create()];
      const key = uniqueKey();
      expect(await first.claim(key, 60)).toBe(true);
      await first.release(key);
      const retakes = await Promise.all([second.claim(key, 60), first.claim(key, 60), second.claim(key, 60)]);
      expect(retakes.filter((result) => result)).toHaveLength(1);
      await first.release(uniqueKey());
    });

    test("an expired claim is free again, not before its TTL, and only one concurrent retake wins", async () => {
      const { expirySlackMs } = harness();
      const store = harness().create();
      const polled = uniqueKey();
      const raced = uniqueKey();
      expect(await store.claim(polled, 1)).toBe(true);
      const taken = performance.now();
      expect(await store.claim(raced, 1)).toBe(true);
      expect(await store.claim(polled, 1)).toBe(false);

      const pollUntilFree = async () => {
        while (performance.now() - taken < 1000 + expirySlackMs + 1500) {
          if (await store.claim(polled, 60)) return performance.now() - taken;
          await sleep(100);
        }
        return undefined;
      };
      const raceAfterExpiry = async () => {
        await sleep(1000 + expirySlackMs + 150);
        const stores = Array.from({ length: 4 }, () => harness().create());
        return Promise.all(Array.from({ length: 12 }, (_, index) => stores[index % stores.length]?.claim(raced, 60)));
      };
      const [freedAfterMs, raceResults] = await Promise.all([pollUntilFree(), raceAfterExpiry()]);
      expect(freedAfterMs, "the claim never expired").toBeDefined();
      expect(freedAfterMs).toBeGreaterThanOrEqual(950);
      expect(raceResults.filter((result) => result === true)).toHaveLength(1);
      // The retaken claims hold for their new TTL.
      expect(await store.claim(polled, 60)).toBe(false);
      expect(await store.claim(raced, 60)).toBe(false);
    });

    if (!withOutages) return;

    test("store outages: a claim rejects within 2 s and never resolves true", async () => {
      const outages = harness().outages;
      if (outages === undefined) throw new Error(`the ${name} harness has no outages`);
      await expectRejectsQuickly((await outages.closedPort()).claim(uniqueKey(), 60));
      await expectRejectsQuickly((await outages.unresponsive()).claim(uniqueKey(), 60));
      // A store that was working when its engine goes away.
      const store = harness().create();
      expect(await store.claim(uniqueKey(), 60)).toBe(true);
      await outages.stopEngine();
      await expectRejectsQuickly(store.claim(uniqueKey(), 60));
      await expectRejectsQuickly(store.claim(uniqueKey(), 60));
      const { outcome } = await settleWithin(store.release(uniqueKey()), 5000);
      expect(outcome, "a release on an unreachable store rejects").toHaveProperty("rejected");
    });
  });
}
