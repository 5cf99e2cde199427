// Delivery claims in Redis, for Vercel (any Redis from the Vercel Marketplace, or your own, over redis:// or rediss://):
// a claim is `SET key 1 NX EX ttl` (Redis applies it atomically: one caller gets OK, every other one gets nil), a
// release is `DEL key`. Redis expires the key itself, exactly, on access.
//
// Connection handling for serverless: one connection per store, opened at the first claim and reused by every later
// invocation of the warm instance (Fluid compute's concurrent invocations share it). No background reconnect loop: a
// dropped connection is noticed at the next call, which opens a new one, once. Connecting and each command have short
// timeouts, so a store that cannot answer rejects the claim in about a second and the receiver answers 500 well
// inside Commerce Layer's answer timeout (shared/core/commerce-layer.ts).
import { createClient } from "redis";
import type { DeduplicationStore } from "../../webhooks/deduplication.ts";

/** The few calls the store makes, so that a node-redis client of your own (`createClient()`) fits. */
export interface RedisDeduplicationClient {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  set(key: string, value: string, options: RedisSetOptions): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

interface RedisSetOptions {
  condition: "NX";
  expiration: { type: "EX"; value: number };
}

interface Timeouts {
  /** Longest wait to open the connection (TCP, TLS and the handshake), ms. Default 1000. */
  readonly connectTimeoutMs?: number;
  /** Longest wait for one command's answer, ms. Default 500. */
  readonly commandTimeoutMs?: number;
}

export type RedisDeduplicationStoreOptions =
  | ({ readonly url: string } & Timeouts)
  /**
   * A client of your own: the store connects it when it is not open and leaves its settings (timeouts, reconnects,
   * key prefix) and its lifecycle to you.
   */
  | { readonly client: RedisDeduplicationClient };

export function createRedisDeduplicationStore(options: RedisDeduplicationStoreOptions): DeduplicationStore {
  const connection = "client" in options ? ownClient(options.client) : storeClient(options);
  return {
    async claim(key, ttlSeconds) {
      const seconds = wholeSeconds(ttlSeconds);
      const client = await connection();
      const reply = await client.set(key, "1", { condition: "NX", expiration: { type: "EX", value: seconds } });
      if (reply === "OK") return true;
      if (reply === null) return false;
      throw new Error(`Redis answered SET NX with ${String(reply)}`);
    },
    async release(key) {
      await (await connection()).del(key);
    },
  };
}

function ownClient(client: RedisDeduplicationClient): () => Promise<RedisDeduplicationClient> {
  let connecting: Promise<unknown> | undefined;
  return async () => {
    if (!client.isOpen) {
      connecting ??= client.connect().finally(() => {
        connecting = undefined;
      });
      await connecting;
    }
    return client;
  };
}

function newClient(url: string, connectTimeoutMs: number, commandTimeoutMs: number) {
  return createClient({
    url,
    socket: {
      connectTimeout: connectTimeoutMs,
      // Never reconnect in the background: between invocations the instance is frozen, and a loop of attempts would
      // only hold requests. The next call sees the closed client and opens a new one.
      reconnectStrategy: false,
    },
    // Commands fail at once while the connection is down instead of waiting in a queue for a reconnect.
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
  });
}

type NodeRedisClient = ReturnType<typeof newClient>;

function storeClient(options: { readonly url: string } & Timeouts): () => Promise<RedisDeduplicationClient> {
  const { url, connectTimeoutMs = 1000, commandTimeoutMs = 500 } = options;
  let current: Promise<NodeRedisClient> | undefined;

  const open = async (): Promise<NodeRedisClient> => {
    const client = newClient(url, connectTimeoutMs, commandTimeoutMs);
    // node-redis emits `error` when the connection drops; without a listener Node would crash the instance. The call
    // in progress rejects with the same error, and the next call opens a new connection.
    client.on("error", () => {});
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.connect(),
        new Promise((_, reject) => {
          // connectTimeout covers the TCP connect; this also covers TLS and the handshake commands.
          timer = setTimeout(
            () => reject(new Error(`Redis did not accept a connection within ${connectTimeoutMs} ms`)),
            connectTimeoutMs,
          );
        }),
      ]);
    } catch (error) {
      discard(client);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return client;
  };

  return async () => {
    const pending = current;
    if (pending !== undefined) {
      // Rejects when that connection attempt failed: this call waited for it, so it fails with it.
      const client = await pending;
      if (client.isReady) return client;
      // The connection dropped since (idle timeout, a frozen instance, a server restart): replace it, once.
      if (current === pending) {
        discard(client);
        current = undefined;
      }
    }
    if (current === undefined) {
      const attempt: Promise<NodeRedisClient> = open().catch((error: unknown) => {
        if (current === attempt) current = undefined;
        throw error;
      });
      current = attempt;
    }
    return current;
  };
}

function discard(client: NodeRedisClient): void {
  try {
    client.destroy();
  } catch {
    // Already closed.
  }
}

/** EX takes whole seconds: a fraction is rounded up, so a claim is never held for less than asked. */
function wholeSeconds(ttlSeconds: number): number {
  if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds))
    throw new RangeError(`ttlSeconds must be > 0, not ${ttlSeconds}`);
  return Math.ceil(ttlSeconds);
}
