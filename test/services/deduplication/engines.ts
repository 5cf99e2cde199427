// The real engines the deduplication stores are tested on, all offline on 127.0.0.1: redis-server (Debian's package) as a
// child process, dynalite (DynamoDB's API on LevelDB) and @netlify/blobs' own BlobsServer in this process, plus two
// kinds of outage: a closed port, and a server that accepts connections and never answers.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BlobsServer } from "@netlify/blobs/server";
import { startProcess } from "../../support/http.ts";

export const LOOPBACK = "127.0.0.1";

/** `stop` for engines: the outage test stops an engine early, afterAll stops it again. */
function once(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= stop();
    return stopping;
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A loopback server that accepts every connection and never sends a byte, like a hung store. */
export async function unresponsiveServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---- Redis -------------------------------------------------------------------------------------------------------

export interface RedisEngine {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts Debian's redis-server on a free loopback port, without persistence. Fails loudly when it is not installed. */
export async function startRedisServer(): Promise<RedisEngine> {
  const probe = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      "redis-server is not installed: the Redis claim-store tests need it. Install it with " +
        "`apt-get update && apt-get install -y redis-server` (CI's .ci/run does).",
    );
  }
  const port = await closedPort();
  const server = await startProcess(
    "redis-server",
    ["--port", String(port), "--bind", LOOPBACK, "--save", "", "--appendonly", "no", "--daemonize", "no"],
    { cwd: tmpdir(), env: process.env, ready: /Ready to accept connections/, timeoutMs: 10_000 },
  );
  return { url: `redis://${LOOPBACK}:${port}`, stop: once(server.stop) };
}

// ---- DynamoDB (dynalite) -------------------------------------------------------------------------------------------

export interface DynamoEngine {
  readonly endpoint: string;
  readonly tableName: string;
  /** A client for this endpoint, configured like the store's default one (timeouts, standard retries). */
  client(endpoint?: string): DynamoDBClient;
  stop(): Promise<void>;
}

type Dynalite = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;

export async function startDynalite(): Promise<DynamoEngine> {
  // dynalite is CommonJS without types.
  const dynalite = createRequire(import.meta.url)("dynalite") as Dynalite;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as { port: number };
  const endpoint = `http://${LOOPBACK}:${port}`;
  const client = (at = endpoint) =>
    new DynamoDBClient({
      endpoint: at,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      requestHandler: { connectionTimeout: 500, requestTimeout: 800, throwOnRequestTimeout: true },
    });
  const tableName = "commercelayer-webhook-claims";
  const admin = client();
  await admin.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  admin.destroy();
  return {
    endpoint,
    tableName,
    client,
    stop: once(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }),
  };
}

// ---- Netlify Blobs (BlobsServer) ---------------------------------------------------------------------------------

export interface BlobsEngine {
  /** The edge URL stores use: the shim in front of BlobsServer. */
  readonly url: string;
  readonly siteID: string;
  readonly token: string;
  stop(): Promise<void>;
}

/**
 * Starts @netlify/blobs' BlobsServer (the one `netlify dev` runs) on a temporary directory, behind a small shim that
 * adds the two things the Netlify service does and this file-backed emulator does not:
 * - conditional writes applied atomically: BlobsServer checks If-None-Match / If-Match, then awaits file I/O before it
 *   writes, so two concurrent conditional writes can both pass; the shim lets one request reach it at a time;
 * - an ETag on reads: BlobsServer returns one from writes and listings but not from GET or HEAD
 *   (netlify/primitives#772); the shim remembers the ETag of each write and adds it to reads.
 * Everything else (storage, conditions, 412s, metadata, deletes, auth) is BlobsServer's own.
 */
export async function startBlobsServer(): Promise<BlobsEngine> {
  const directory = await mkdtemp(join(tmpdir(), "claims-blobs-"));
  const token = "local-blobs-token";
  const blobs = new BlobsServer({ directory, token });
  const { port: blobsPort } = await blobs.start();
  const origin = `http://${LOOPBACK}:${blobsPort}`;

  const etags = new Map<string, string>();
  let queue: Promise<unknown> = Promise.resolve();
  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = new URL(req.url ?? "/", origin).pathname;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === "string" && name !== "host" && name !== "connection") headers.set(name, value);
    }
    const method = req.method ?? "GET";
    const answer = await fetch(`${origin}${req.url ?? "/"}`, {
      method,
      headers,
      ...(method === "GET" || method === "HEAD" ? {} : { body }),
    });
    const payload = Buffer.from(await answer.arrayBuffer());
    const outHeaders = Object.fromEntries(answer.headers);
    delete outHeaders["content-length"];
    delete outHeaders["transfer-encoding"];
    if (method === "PUT" && answer.status === 200 && outHeaders.etag) etags.set(path, outHeaders.etag);
    if (method === "DELETE" && answer.status < 300) etags.delete(path);
    if ((method === "GET" || method === "HEAD") && answer.status === 200 && !outHeaders.etag) {
      const etag = etags.get(path);
      if (etag !== undefined) outHeaders.etag = etag;
    }
    res.writeHead(answer.status, outHeaders);
    res.end(method === "HEAD" ? undefined : payload);
  };
  const shim = createHttpServer((req, res) => {
    const turn = queue.then(() =>
      forward(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      }),
    );
    queue = turn;
  });
  await new Promise<void>((resolve) => shim.listen(0, LOOPBACK, resolve));
  const { port } = shim.address() as { port: number };
  return {
    url: `http://${LOOPBACK}:${port}`,
    siteID: "local-site",
    token,
    stop: once(async () => {
      shim.closeAllConnections();
      await new Promise<void>((resolve) => shim.close(() => resolve()));
      await blobs.stop();
      await rm(directory, { recursive: true, force: true });
    }),
  };
}
