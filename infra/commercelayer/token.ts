// The integration's access token (client credentials, through js-auth), cached in memory for the run and on disk
// between runs, until a few minutes before it expires: Commerce Layer's token endpoint is rate limited per minute.
// On disk: one file per auth endpoint and client id, mode 0600, in a git-ignored folder.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { authenticate } from "@commercelayer/js-auth";
import { TOKEN_REQUESTS_PER_MINUTE } from "../../shared/core/commerce-layer.ts";
import type { Credentials } from "./config.ts";
import { Fault, networkCause } from "./faults.ts";

const DEFAULT_CACHE_DIR = fileURLToPath(new URL("../../node_modules/.cache/commercelayer", import.meta.url));

/** A token from an earlier run is used until this long before it expires; the run's own until 10 s before. */
const REUSE_MARGIN_MS = 5 * 60_000;
const RUN_MARGIN_MS = 10_000;

interface CachedToken {
  readonly accessToken: string;
  /** When it expires, in ms since the epoch. */
  readonly expires: number;
}

export interface TokenSource {
  /** A token that is still valid: the run's, the cached one, else a new one. */
  get(): Promise<string>;
  /**
   * A new token after the API refused `refused`, or undefined when `refused` was issued during this run (a new one
   * would be refused too: the refusal is about the integration, not the token).
   */
  renew(refused: string): Promise<string | undefined>;
}

function isUsable(token: unknown, margin: number): token is CachedToken {
  const { accessToken, expires } = (token ?? {}) as Partial<CachedToken>;
  return typeof accessToken === "string" && typeof expires === "number" && expires - margin > Date.now();
}

/**
 * js-auth posts to `https://auth.<domain>/oauth/token` with the global fetch and takes no fetch of its own: an auth
 * endpoint of another shape (a stand-in on 127.0.0.1) is reached by pointing the global fetch there for this call.
 */
async function requestToken(credentials: Credentials): Promise<CachedToken> {
  const { clientId, clientSecret, authEndpoint } = credentials;
  const domain = /^https:\/\/auth\.([^/]+)$/.exec(authEndpoint)?.[1];
  const original = globalThis.fetch;
  if (domain === undefined) {
    globalThis.fetch = (input, init) => original(`${authEndpoint}${new URL(String(input)).pathname}`, init);
  }
  let answer: Awaited<ReturnType<typeof authenticate<"client_credentials">>>;
  try {
    answer = await authenticate("client_credentials", { clientId, clientSecret, domain: domain ?? "commercelayer.io" });
  } catch (error) {
    const cause = networkCause(error);
    if (cause) throw new Fault(`${authEndpoint} cannot be reached (${cause}): check COMMERCELAYER_AUTH_ENDPOINT`);
    if (error instanceof SyntaxError) {
      throw new Fault(`${authEndpoint} did not answer as a token endpoint: check COMMERCELAYER_AUTH_ENDPOINT`);
    }
    throw error;
  } finally {
    globalThis.fetch = original;
  }
  const refusal = answer.errors?.[0];
  if (refusal !== undefined || typeof answer.accessToken !== "string") {
    const status = refusal?.status ?? "no token";
    const why = [refusal?.title, refusal?.detail].filter(Boolean).join(": ");
    const hint =
      status === 429
        ? `the token endpoint answers ${TOKEN_REQUESTS_PER_MINUTE} requests a minute: wait a minute and run again`
        : "check COMMERCELAYER_CLIENT_ID and COMMERCELAYER_CLIENT_SECRET (an integration application's)";
    throw new Fault(`token refused by ${authEndpoint} (${status}${why ? ` ${why}` : ""}): ${hint}`);
  }
  return { accessToken: answer.accessToken, expires: answer.expires.getTime() };
}

export function tokenSource(credentials: Credentials): TokenSource {
  const dir = credentials.tokenCacheDir ?? DEFAULT_CACHE_DIR;
  const key = createHash("sha256").update(`${credentials.authEndpoint}\n${credentials.clientId}`).digest("hex");
  const file = join(dir, `${key.slice(0, 32)}.json`);
  let current: CachedToken | undefined;
  const issuedThisRun = new Set<string>();

  const readDisk = (): CachedToken | undefined => {
    try {
      const cached: unknown = JSON.parse(readFileSync(file, "utf8"));
      return isUsable(cached, REUSE_MARGIN_MS) ? cached : undefined;
    } catch {
      return undefined;
    }
  };
  const writeDisk = (token: CachedToken): void => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(token), { mode: 0o600 });
    renameSync(temporary, file);
  };
  const fresh = async (): Promise<string> => {
    current = await requestToken(credentials);
    issuedThisRun.add(current.accessToken);
    writeDisk(current);
    return current.accessToken;
  };

  return {
    async get() {
      if (!isUsable(current, RUN_MARGIN_MS)) current = readDisk();
      return current === undefined ? fresh() : current.accessToken;
    },
    async renew(refused) {
      if (issuedThisRun.has(refused)) return undefined;
      if (current?.accessToken !== refused) return this.get();
      current = undefined;
      rmSync(file, { force: true });
      return fresh();
    },
  };
}
