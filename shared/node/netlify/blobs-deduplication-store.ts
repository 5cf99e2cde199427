// Delivery claims in Netlify Blobs, for Netlify Functions: one blob per claim, written only with conditional writes.
//
// - A free key is taken with `set(key, claim, { onlyIfNew: true })`: a create-only write, which Netlify Blobs applies
//   atomically (HTTP `If-None-Match: *`; the loser gets 412 and `modified: false`).
// - Blobs has no TTL, so the blob holds its own expiry. An expired claim is retaken with
//   `set(key, claim, { onlyIfMatch: etag })` with the ETag read alongside it (`If-Match`): of two instances that read
//   the same expired claim, the first write changes the ETag and the second gets 412. Each claim carries a random id,
//   so no two writes have the same content, and a content-derived ETag can never come back (no ABA).
// - A release is a plain delete (Blobs has no conditional delete).
// Reads only decide whether to attempt the conditional write, so a stale (eventually consistent) read can make a claim
// answer `false` for a moment, never let two claims win.
//
// Failing fast: @netlify/blobs retries network errors, 429 and 5xx itself, up to 5 times, 5 s apart, far past Commerce
// Layer's answer timeout (shared/core/commerce-layer.ts). The store hands it a fetch that never lets it retry and bounds each claim and release
// (every request in it) by `timeoutMs`, so an unreachable store rejects quickly and the receiver answers 500.
import { randomUUID } from "node:crypto";
import { getStore } from "@netlify/blobs";
import type { DeduplicationStore } from "../../webhooks/deduplication.ts";

export interface BlobsDeduplicationStoreOptions {
  /** Site-wide store to keep claims in. Default `commercelayer-webhook-claims`. */
  readonly name?: string;
  /**
   * `strong` (default) sends every call to the uncached endpoint; `eventual` reads through the edge cache (up to 60 s
   * stale). Where the environment has no uncached endpoint (legacy Lambda-compatible functions set up with
   * `connectLambda`), `strong` makes every call reject: use `eventual` there. Either is safe, see above.
   */
  readonly consistency?: "strong" | "eventual";
  /** Longest a claim or a release may take, all its requests included, before it rejects. Default 1500 ms. */
  readonly timeoutMs?: number;
  /**
   * Where the store is, when not read from the Netlify environment (which sets all of them in functions): for a local
   * `BlobsServer`, or API access from elsewhere.
   */
  readonly siteID?: string;
  readonly token?: string;
  readonly edgeURL?: string;
  readonly uncachedEdgeURL?: string;
  readonly apiURL?: string;
  /** The fetch to send requests with. Default: the global fetch. */
  readonly fetch?: typeof globalThis.fetch;
  /** The clock, in milliseconds; for tests. */
  readonly now?: () => number;
}

/** What a claim blob holds. */
interface ClaimValue {
  readonly expiresAt: number;
  readonly claimId: string;
}

const DEFAULT_NAME = "commercelayer-webhook-claims";
/** A status no Blobs call treats as success, "not found", "precondition failed" or "retry". */
const FAILED = 499;
/** Rounds of "create failed, but the claim has gone when read" before giving up (a release racing with us). */
const ROUNDS = 3;

export function createBlobsDeduplicationStore(options: BlobsDeduplicationStoreOptions = {}): DeduplicationStore {
  const { consistency = "strong", timeoutMs = 1500, now = Date.now } = options;
  const baseFetch = options.fetch ?? globalThis.fetch;

  /** A store for one claim or release: its own deadline, and a record of how its last request went. */
  const operation = () => {
    const deadline = AbortSignal.timeout(timeoutMs);
    let last: { status: number } | { error: unknown } = { status: 0 };
    const guardedFetch: typeof globalThis.fetch = async (input, init) => {
      try {
        const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
        const response = await baseFetch(input, { ...init, signal });
        if (response.status === 429 || response.status >= 500) {
          last = { error: new Error(`Netlify Blobs answered ${response.status}`) };
          return new Response(null, { status: FAILED });
        }
        last = { status: response.status };
        return response;
      } catch (error) {
        last = { error };
        return new Response(null, { status: FAILED });
      }
    };
    const store = getStore({
      name: options.name ?? DEFAULT_NAME,
      consistency,
      fetch: guardedFetch,
      ...definedOnly({
        siteID: options.siteID,
        token: options.token,
        edgeURL: options.edgeURL,
        uncachedEdgeURL: options.uncachedEdgeURL,
        apiURL: options.apiURL,
      }),
    });
    /** The error behind a failed call, when its request failed or timed out. */
    const failure = (error: unknown) =>
      "error" in last ? new Error("Netlify Blobs is unavailable", { cause: last.error }) : error;

    return {
      /** true: written; false: the condition failed (412); rejects on anything else. */
      async write(key: string, value: string, condition: { onlyIfNew: true } | { onlyIfMatch: string }) {
        try {
          await store.set(key, value, condition);
        } catch (error) {
          throw failure(error);
        }
        // Not the `modified` flag: with a condition, @netlify/blobs reports every status but 412 as modified.
        if ("error" in last) throw failure(undefined);
        if (last.status === 412) return false;
        if (last.status >= 200 && last.status < 300) return true;
        throw new Error(`Netlify Blobs answered a conditional write with ${last.status}`);
      },
      async read(key: string) {
        try {
          return await store.getWithMetadata(key, { type: "json", consistency });
        } catch (error) {
          throw failure(error);
        }
      },
      async remove(key: string) {
        try {
          await store.delete(key);
        } catch (error) {
          throw failure(error);
        }
      },
    };
  };

  return {
    async claim(key, ttlSeconds) {
      if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds))
        throw new RangeError(`ttlSeconds must be > 0, not ${ttlSeconds}`);
      const op = operation();
      const value: ClaimValue = { expiresAt: now() + ttlSeconds * 1000, claimId: randomUUID() };
      const body = JSON.stringify(value);
      for (let round = 0; round < ROUNDS; round++) {
        if (await op.write(key, body, { onlyIfNew: true })) return true;
        const current = await op.read(key);
        if (current === null) continue; // Released (or deleted) between the two calls: try to create it again.
        if (!isExpired(current.data, now())) return false;
        if (current.etag === undefined) {
          // The Netlify service sends one; the local BlobsServer of @netlify/blobs does not (reads carry no ETag).
          throw new Error("Netlify Blobs sent no ETag: an expired claim cannot be retaken safely");
        }
        return op.write(key, body, { onlyIfMatch: current.etag });
      }
      throw new Error(`Netlify Blobs: the claim on ${key} kept changing; giving up`);
    },
    async release(key) {
      await operation().remove(key);
    },
  };
}

/** A claim whose expiry has passed, or a blob that is not a claim at all (then the conditional write decides). */
function isExpired(data: unknown, nowMs: number): boolean {
  const expiresAt = (data as Partial<ClaimValue> | null)?.expiresAt;
  return typeof expiresAt !== "number" || expiresAt <= nowMs;
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
