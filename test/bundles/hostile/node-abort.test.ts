// A sender that disconnects in the middle of its body, against the Node `(req, res)` flavour on a real server. No
// handler may run; and the handler's promise should settle without rejecting, because a plain Node server that calls it
// as `void handler(req, res)` (as the README's "any Node server" invites) dies of an unhandled rejection otherwise.
import { connect } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { listenOnLoopback } from "../../support/http.ts";
import { BATTERY_SECRET } from "./cases.ts";
import { importFactory } from "./entry-points.ts";

type NodeFactory = {
  createNodeWebhookHandler: (
    handlers: Record<string, () => void>,
    options: Record<string, unknown>,
  ) => (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<void>;
};

afterEach(() => vi.restoreAllMocks());

/** Sends headers and part of a body, then drops the connection; resolves once the handler's promise settled. */
async function abortMidBody(framing: "content-length" | "chunked") {
  vi.spyOn(console, "log").mockImplementation(() => {});
  const { createNodeWebhookHandler } = await importFactory<NodeFactory>("node");
  let runs = 0;
  const handler = createNodeWebhookHandler({ "*": () => void runs++ }, { secrets: [BATTERY_SECRET] });
  let settle: (outcome: "resolved" | "rejected") => void = () => {};
  const settled = new Promise<"resolved" | "rejected">((resolve) => (settle = resolve));
  const { url, server } = await listenOnLoopback((req, res) =>
    handler(req, res).then(
      () => settle("resolved"),
      () => settle("rejected"),
    ),
  );
  try {
    const { port } = new URL(url);
    const socket = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    const framingHeader = framing === "chunked" ? "transfer-encoding: chunked\r\n" : "content-length: 100000\r\n";
    socket.write(
      `POST / HTTP/1.1\r\nhost: 127.0.0.1\r\nx-commercelayer-topic: orders.place\r\nx-commercelayer-signature: ${"A".repeat(43)}=\r\n${framingHeader}\r\n`,
    );
    socket.write(framing === "chunked" ? '400\r\n{"data":{"id":"abc' : '{"data":{"id":"abc');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    const outcome = await Promise.race([
      settled,
      new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), 2000)),
    ]);
    return { outcome, runs };
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe("a sender that disconnects mid-body (Node flavour)", () => {
  it.each(["content-length", "chunked"] as const)("%s: no handler runs", async (framing) => {
    const { outcome, runs } = await abortMidBody(framing);
    expect(runs).toBe(0);
    expect(outcome).not.toBe("pending");
  });

  // readNodeBody rejects with ECONNRESET "aborted"; the handler logs the aborted delivery and resolves.
  it.each(["content-length", "chunked"] as const)(
    "%s: the handler's promise resolves, never rejects",
    async (framing) => {
      const { outcome } = await abortMidBody(framing);
      expect(outcome).toBe("resolved");
    },
  );
});
