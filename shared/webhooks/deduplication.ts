// Deduplication. Commerce Layer retries failed deliveries and can re-fire any event, and nothing in a delivery
// identifies it, so the receiver claims a key per delivery in a deduplication store before running handlers: the first
// claim runs them, a duplicate is acknowledged without running them, and a delivery whose handlers failed gives its
// claim back so that Commerce Layer's retry runs them.
import type { WebhookEvent } from "./event.ts";

export interface DeduplicationStore {
  /**
   * Atomically claims `key` for `ttlSeconds`. Resolves `true` when this call took the claim, `false` when the key is
   * already claimed (a duplicate, concurrent or later). Rejects when the store cannot answer: the receiver then answers
   * 500 and runs nothing, so Commerce Layer retries and no handler runs twice.
   */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /** Gives a claim back after the handlers failed, so that the retry can take it. */
  release(key: string): Promise<void>;
}

/** Three days: longer than Commerce Layer's retries of a failed delivery take, short enough to keep stores small. */
export const DEFAULT_DEDUPLICATION_TTL_SECONDS = 3 * 24 * 3600;

export interface DeduplicationOptions {
  /** Where claims are kept: in memory (one warm instance only), DynamoDB, Redis, Netlify Blobs... */
  readonly store: DeduplicationStore;
  /** How long a claim holds, in seconds; default three days. */
  readonly ttlSeconds?: number;
  /**
   * A delivery's key. Default: the topic and the verified signature, which is a hash of the exact body, so only a
   * byte-identical re-delivery counts as a duplicate. `(event) => \`${event.topic}:${event.id}:${updated_at}\`` also
   * catches an event re-fired with a body that differs in some other byte, at the risk of merging two real changes
   * made within the same second.
   */
  readonly key?: (event: WebhookEvent) => string;
}

/**
 * Claims held in this process's memory. The default for local runs and tests. On a serverless platform it covers only
 * one warm instance: a duplicate that reaches another instance, or arrives after a cold start, runs again.
 */
export function createMemoryDeduplicationStore(now: () => number = Date.now): DeduplicationStore {
  const expiries = new Map<string, number>();
  return {
    async claim(key, ttlSeconds) {
      const current = now();
      const expiry = expiries.get(key);
      if (expiry !== undefined && expiry > current) return false;
      // Expired claims are dropped as they are met, and the map swept when it grows, so memory stays bounded.
      if (expiries.size >= 10_000) for (const [stale, until] of expiries) if (until <= current) expiries.delete(stale);
      expiries.set(key, current + ttlSeconds * 1000);
      return true;
    },
    async release(key) {
      expiries.delete(key);
    },
  };
}
