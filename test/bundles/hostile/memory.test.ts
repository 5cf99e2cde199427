// Memory: a delivery at the body limit costs memory in proportion to the body (measured in fresh processes by
// infra/bench/memory.ts, with the deployable bundles of the suites' fixture build), and a body over the limit on a Node stream is refused without being read to its end.
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type MemoryResult, measureMemory } from "../../../infra/bench/memory.ts";
import { fixtureBuild } from "../../support/bundles.ts";
import { signedDelivery } from "../../support/deliveries.ts";
import { listenOnLoopback } from "../../support/http.ts";
import { BATTERY_SECRET } from "./cases.ts";
import { importFactory } from "./entry-points.ts";

const MiB = 1024 * 1024;

afterEach(() => vi.restoreAllMocks());

describe("memory for a body at the limit", () => {
  it("is proportional to the body: under 6× its size, the same per byte at 1 and 5 MiB, nothing retained", async () => {
    const results: MemoryResult[] = [];
    for (const entry of ["vercel", "vercel-node", "lambda-v2"] as const)
      for (const bytes of [1 * MiB, 5 * MiB]) results.push(await measureMemory(entry, bytes, fixtureBuild()));
    console.info(
      results
        .map(
          (r) =>
            `${r.entry.padEnd(12)} body ${(r.bodyBytes / MiB).toFixed(0)} MiB: allocated ${(r.allocatedBytes / MiB).toFixed(1)} MiB (${(r.allocatedBytes / r.bodyBytes).toFixed(2)}× body), retained ${(r.retainedBytes / MiB).toFixed(2)} MiB, GCs ${r.gcs}`,
        )
        .join("\n"),
    );
    for (const result of results) {
      expect(result.status, result.entry).toBe(200);
      // With a collection in the window the figure would only be a lower bound.
      expect(result.gcs, result.entry).toBe(0);
      expect(result.allocatedBytes / result.bodyBytes, result.entry).toBeLessThan(6);
      expect(result.retainedBytes, result.entry).toBeLessThan(MiB / 2);
    }
    for (const entry of ["vercel", "vercel-node", "lambda-v2"]) {
      const [small, large] = results.filter((result) => result.entry === entry) as [MemoryResult, MemoryResult];
      const perByte = (result: MemoryResult) => result.allocatedBytes / result.bodyBytes;
      expect(perByte(large) / perByte(small), entry).toBeGreaterThan(0.8);
      expect(perByte(large) / perByte(small), entry).toBeLessThan(1.25);
    }
  });
});

describe("a body over the limit on a Node stream (createNodeWebhookHandler)", () => {
  const LIMIT = 1 * MiB;
  const SENT = 64 * MiB;

  /** Streams up to SENT bytes at the server; resolves with the answer and how many bytes the server's socket read. */
  async function flood(declareLength: boolean) {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const { createNodeWebhookHandler } = await importFactory<{
      createNodeWebhookHandler: (...args: unknown[]) => (req: unknown, res: unknown) => Promise<void>;
    }>("node");
    let runs = 0;
    const handler = createNodeWebhookHandler(
      { "*": () => void runs++ },
      { secrets: [BATTERY_SECRET], maxBodyBytes: LIMIT },
    );
    let serverRead = 0;
    const { url, server } = await listenOnLoopback(async (req, res) => {
      req.socket.once("close", () => (serverRead = req.socket.bytesRead));
      await handler(req, res);
    });
    const delivery = signedDelivery("orders.place");
    const headers: Record<string, string> = { ...delivery.headers };
    if (declareLength) headers["content-length"] = String(SENT);
    try {
      const answer = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
        let sent = 0;
        let status = 0;
        const req = httpRequest(url, { method: "POST", headers }, (res) => {
          status = res.statusCode ?? 0;
          res.resume();
          res.on("end", () => resolve({ status, sent }));
        });
        req.on("error", (error) => (sent > 0 ? resolve({ status, sent }) : reject(error)));
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const writeMore = () => {
          while (sent < SENT && !req.destroyed) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", writeMore);
          }
          req.end();
        };
        writeMore();
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { ...answer, serverRead, runs };
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }

  it.each([
    ["chunked, no length declared", false],
    ["Content-Length declared", true],
  ] as const)("%s: 413, and the server reads a small part of what the sender pushes", async (_name, declared) => {
    const { status, sent, serverRead, runs } = await flood(declared);
    console.info(
      `${_name}: sender pushed ${(sent / MiB).toFixed(1)} MiB, server read ${(serverRead / MiB).toFixed(2)} MiB, status ${status}`,
    );
    // The 413 is written before the connection is dropped; a sender still writing may miss it (then status 0).
    expect([413, 0]).toContain(status);
    expect(runs).toBe(0);
    expect(serverRead).toBeGreaterThan(0);
    expect(serverRead).toBeLessThan(sent);
    expect(serverRead).toBeLessThan(LIMIT + 4 * MiB);
    expect(serverRead).toBeLessThan(SENT / 4);
  });
});
