// The real clients, pointed at the stand-in as a CLI must point them: the SDK through its `fetch` option (it builds
// https://<organization>.commercelayer.io/api/... from the token), js-auth through the global fetch for the duration
// of a call (it posts to https://auth.<domain>/oauth/token and takes no URL or fetch of its own). Plus a receiver:
// an HTTP server on loopback that records what reaches it and answers as the test says.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { authenticate } from "@commercelayer/js-auth";
import { CommerceLayer } from "@commercelayer/sdk/bundle";
import { afterAll, beforeAll } from "vitest";
import {
  type CommerceLayerStandIn,
  type StandInOptions,
  startCommerceLayerStandIn,
} from "../support/commercelayer-api/stand-in.ts";

/** A fetch that sends `https://<anything>/<path>?<query>` to the same path and query on `origin`. */
export function fetchVia(origin: string): typeof fetch {
  return (input, init) => {
    const requested = new URL(input instanceof Request ? input.url : String(input));
    return fetch(`${origin}${requested.pathname}${requested.search}`, init);
  };
}

/** Runs `call` with the global fetch sending Commerce Layer's auth host to the stand-in (js-auth's only hook). */
export async function withAuthAt<T>(standIn: CommerceLayerStandIn, call: () => Promise<T>): Promise<T> {
  const original = globalThis.fetch;
  const toStandIn = fetchVia(standIn.authEndpoint);
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return url.hostname === "auth.commercelayer.io" ? toStandIn(input, init) : original(input, init);
  };
  try {
    return await call();
  } finally {
    globalThis.fetch = original;
  }
}

/** An integration token from the stand-in, through js-auth. */
export async function integrationToken(standIn: CommerceLayerStandIn): Promise<string> {
  const answer = await withAuthAt(standIn, () =>
    authenticate("client_credentials", { clientId: standIn.clientId, clientSecret: standIn.clientSecret }),
  );
  if (answer.errors !== undefined) throw new Error(`no token: ${JSON.stringify(answer.errors)}`);
  return answer.accessToken;
}

export type Client = ReturnType<typeof CommerceLayer>;

/** The SDK's client on the stand-in, organization and domain derived from the token as in production. */
export function sdkClient(standIn: CommerceLayerStandIn, accessToken: string): Client {
  return CommerceLayer({ accessToken, fetch: fetchVia(standIn.apiEndpoint) });
}

export async function connectSdk(standIn: CommerceLayerStandIn): Promise<Client> {
  return sdkClient(standIn, await integrationToken(standIn));
}

/** The SDK's error, for assertions: its status and the API's errors. */
export async function apiErrorOf(
  call: Promise<unknown>,
): Promise<{ status: number; errors: Record<string, unknown>[] }> {
  try {
    await call;
  } catch (error) {
    const { status, errors } = error as { status?: number; errors?: Record<string, unknown>[] };
    if (status === undefined) throw error;
    return { status, errors: errors ?? [] };
  }
  throw new Error("the call succeeded");
}

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** What the next requests are answered; 200 by default. `"hang"` never answers. */
  answerWith(status: number | "hang"): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let answer: number | "hang" = 200;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      if (answer !== "hang") response.writeHead(answer, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answerWith: (status) => {
      answer = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A raw request to the stand-in, for what the SDK never sends (a wrong Content-Type, a body that is not JSON:API). */
export async function raw(
  standIn: CommerceLayerStandIn,
  method: string,
  path: string,
  options: { token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const response = await fetch(`${standIn.apiEndpoint}${path}`, {
    method,
    headers: {
      accept: "application/vnd.api+json",
      ...(options.body === undefined ? {} : { "content-type": "application/vnd.api+json" }),
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === "" ? undefined : JSON.parse(text) };
}

export interface SuiteClients {
  readonly standIn: CommerceLayerStandIn;
  readonly sdk: Client;
  readonly receiver: Receiver;
}

/**
 * One stand-in for a suite, an SDK client of it and a receiver for the calls it makes, handed to `started` before the
 * first test (before the suite's own beforeAll hooks, which may use them) and closed after the last.
 */
export function useStandInWithReceiver(options: StandInOptions, started: (clients: SuiteClients) => void): void {
  let clients: SuiteClients | undefined;
  beforeAll(async () => {
    const standIn = await startCommerceLayerStandIn(options);
    clients = { standIn, sdk: await connectSdk(standIn), receiver: await startReceiver() };
    started(clients);
  });
  afterAll(async () => {
    await clients?.receiver.close();
    await clients?.standIn.close();
  });
}
