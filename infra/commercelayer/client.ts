// The SDK's client, with a fetch of ours (the SDK's documented hook) that does what every request needs: it sends the
// request to COMMERCELAYER_API_ENDPOINT (the SDK builds https://<org>.<domain>/api/..., a stand-in listens on
// 127.0.0.1), carries the current token (a cached token the API refuses is renewed once), waits and retries on 429 as
// Retry-After says, and words an unreachable endpoint in one line.
import { setTimeout as sleep } from "node:timers/promises";
import { getCoreApiBaseEndpoint } from "@commercelayer/js-auth";
import type { ListResponse, Resource } from "@commercelayer/sdk";
import { CommerceLayer } from "@commercelayer/sdk/bundle";
import type { Credentials } from "./config.ts";
import { Fault, networkCause } from "./faults.ts";
import { type TokenSource, tokenSource } from "./token.ts";

export type Client = ReturnType<typeof CommerceLayer>;

const REQUEST_TIMEOUT_MS = 15_000;
const RATE_LIMIT_RETRIES = 4;
/** A Retry-After longer than this is not waited for: the command stops and says to run again later. */
const LONGEST_WAIT_MS = 60_000;

/** How long a 429 asks to wait: Retry-After in seconds or as a date, else 1, 2, 4, 8 s. */
function retryAfterMs(response: Response, attempt: number): number {
  const header = response.headers.get("retry-after");
  if (header !== null) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  return 1000 * 2 ** attempt;
}

function transport(base: string, tokens: TokenSource): typeof fetch {
  return async (input, init) => {
    const requested = new URL(input instanceof Request ? input.url : String(input));
    const target = `${base}${requested.pathname}${requested.search}`;
    let token = await tokens.get();
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(init?.headers);
      headers.set("Authorization", `Bearer ${token}`);
      let response: Response;
      try {
        response = await fetch(target, { ...init, headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      } catch (error) {
        if (error instanceof DOMException && error.name === "TimeoutError") {
          throw new Fault(`${base} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s: run again`);
        }
        const cause = networkCause(error);
        if (cause === undefined) throw error;
        if (/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/.test(cause)) {
          throw new Fault(`${base} cannot be reached (${cause}): check COMMERCELAYER_API_ENDPOINT`);
        }
        throw new Fault(`the connection to ${base} was lost (${cause}): run again`);
      }
      if (response.status === 401 && !renewed) {
        const next = await tokens.renew(token);
        if (next !== undefined) {
          [token, renewed] = [next, true];
          continue;
        }
      }
      if (response.status === 429 && attempt < RATE_LIMIT_RETRIES) {
        const wait = retryAfterMs(response, attempt);
        if (wait <= LONGEST_WAIT_MS) {
          await response.body?.cancel();
          await sleep(wait);
          continue;
        }
      }
      return response;
    }
  };
}

/** The API's client for the configured organization; fails with one line when no token can be had. */
export async function connect(credentials: Credentials): Promise<Client> {
  const tokens = tokenSource(credentials);
  const accessToken = await tokens.get();
  let base = credentials.apiEndpoint;
  if (base === undefined) {
    base = getCoreApiBaseEndpoint(accessToken, { shouldThrow: false }) ?? undefined;
    if (base === undefined) throw new Fault("set COMMERCELAYER_API_ENDPOINT: the token names no organization");
  }
  // The SDK wants an organization to build its URLs with; the transport sends them to `base` whatever it is.
  const organization = new URL(base).hostname.split(".")[0] || "organization";
  return CommerceLayer({ accessToken, organization, domain: "commercelayer.io", fetch: transport(base, tokens) });
}

/** Every page of a list (25 a page, the API's largest). */
export async function listAll<R extends Resource>(
  page: (pageNumber: number) => Promise<ListResponse<R>>,
): Promise<R[]> {
  const all: R[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const list = await page(pageNumber);
    all.push(...list);
    if (list.length === 0 || !(pageNumber < list.pageCount)) return all;
  }
}
