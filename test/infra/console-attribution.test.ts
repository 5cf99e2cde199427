// Which entry a log line goes to (infra/local/console/log-capture.ts), and who the console answers
// (infra/local/console/local-only.ts), without a server or a browser.
import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createHistory } from "../../infra/local/console/history.ts";
import { refusal } from "../../infra/local/console/local-only.ts";
import { createLogCapture, type LogCapture } from "../../infra/local/console/log-capture.ts";

const arrival = {
  method: "POST",
  target: "/vercel/api/webhooks/commercelayer",
  path: "/vercel/api/webhooks/commercelayer",
  platform: "vercel",
  kind: "webhook",
  subject: "orders.place",
  rawHeaders: [],
  signature: undefined,
  body: Buffer.from("{}"),
  origin: "sender",
  replayOf: undefined,
} as const;

describe("the console's log capture", () => {
  let capture: LogCapture | undefined;
  afterEach(() => capture?.uninstall());

  it("gives each request the lines written while it is handled, across awaits and timers, and still prints them", async () => {
    const printed = vi.spyOn(console, "log").mockImplementation(() => {});
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    const errored = vi.spyOn(console, "error").mockImplementation(() => {});
    const history = createHistory();
    capture = createLogCapture(history);
    capture.install();
    const first = history.received(arrival);
    const second = history.received(arrival);
    const handle = async (name: string) => {
      console.log(`${name} before`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      console.warn(`${name} after %d ms`, 5);
      // Work left running after the answer (Vercel's waitUntil): still the request's.
      setTimeout(() => console.error(`${name} later`), 10);
    };
    await Promise.all([
      capture.run({ entryId: first.id, deferred: false }, () => handle("first")),
      capture.run({ entryId: second.id, deferred: false }, () => handle("second")),
    ]);
    console.log("outside any request");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(history.get(first.id)?.logs.map((line) => [line.stream, line.text])).toEqual([
      ["log", "first before"],
      ["warn", "first after 5 ms"],
      ["error", "first later"],
    ]);
    expect(history.get(second.id)?.logs.map((line) => line.text)).toEqual([
      "second before",
      "second after 5 ms",
      "second later",
    ]);
    expect(printed).toHaveBeenCalledWith("outside any request");
    expect(printed).toHaveBeenCalledWith("first before");
    expect(warned).toHaveBeenCalledWith("second after %d ms", 5);
    capture.uninstall();
    for (const spy of [printed, warned, errored]) spy.mockRestore();
  });

  it("marks a deferred run's lines as such, and gives console.log back when uninstalled", async () => {
    const silent = vi.spyOn(console, "info").mockImplementation(() => {});
    const original = console.log;
    const history = createHistory();
    capture = createLogCapture(history);
    capture.install();
    expect(console.log).not.toBe(original);
    const entry = history.received(arrival);
    await capture.run({ entryId: entry.id, deferred: true }, async () => console.info("from the worker"));
    expect(history.get(entry.id)?.logs).toMatchObject([{ text: "from the worker", deferred: true, stream: "log" }]);
    expect(silent).toHaveBeenCalledWith("from the worker");
    capture.uninstall();
    expect(console.log).toBe(original);
    silent.mockRestore();
  });
});

describe("who the console answers", () => {
  const request = (headers: Record<string, string>, method = "GET") => ({ method, headers }) as IncomingMessage;

  it("the loopback address under any of its names", () => {
    for (const host of ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "LOCALHOST"])
      expect(refusal(request({ host }))).toBeUndefined();
  });

  it("not a request for another name (a tunnel's, DNS rebinding), nor one a proxy forwarded", () => {
    expect(refusal(request({ host: "abc.ngrok.app" }))).toMatch(/loopback/);
    expect(refusal(request({ host: "127.0.0.1.evil.example:3000" }))).toMatch(/loopback/);
    expect(refusal(request({}))).toMatch(/loopback/);
    expect(refusal(request({ host: "127.0.0.1:3000", "x-forwarded-for": "203.0.113.9" }))).toMatch(/forwarded/);
  });

  it("a POST only as same-origin JSON: a cross-site form cannot replay or send", () => {
    const host = "127.0.0.1:3000";
    expect(refusal(request({ host, "content-type": "application/json" }, "POST"))).toBeUndefined();
    expect(
      refusal(request({ host, "content-type": "application/json", origin: `http://${host}` }, "POST")),
    ).toBeUndefined();
    expect(refusal(request({ host, "content-type": "text/plain" }, "POST"))).toMatch(/application\/json/);
    expect(
      refusal(request({ host, "content-type": "application/json", origin: "https://evil.example" }, "POST")),
    ).toMatch(/cross-origin/);
  });
});
