// deliverSample (infra/testing/deliver.ts), the helper of users' handler tests, on handlers of the suite's own that call
// a dependency the suite mocks (the real one throws). The handlers run in this process, through the same pipeline as
// the bundles, so module mocks, spies and fake timers reach them, and every printed line is handed back.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { deliverSample } from "../../infra/testing/deliver.ts";
import { notify } from "../fixtures/dependency.ts";
import * as file from "../fixtures/handlers-with-dependency.ts";

vi.mock("../fixtures/dependency.ts", () => ({ notify: vi.fn(async () => {}) }));

beforeEach(() => vi.mocked(notify).mockReset());
afterEach(() => vi.useRealTimers());

describe("deliverSample", () => {
  it("runs the handlers in-process: a module mock reaches what they import", async () => {
    const { status, answer, data } = await deliverSample("customers.create", { file });
    expect({ status, answer }).toEqual({ status: 200, answer: { received: true, outcome: "handled" } });
    expect(notify).toHaveBeenCalledWith(`direct ${data.id}`);
  });

  it("hands back every printed line, JSON or not, and sorts the receiver's lines from the handlers' own", async () => {
    const { printed, deliveryLines, handlerLines, data } = await deliverSample("customers.create", { file });
    expect(printed).toContain(`plain text from the handler, ${data.id}`);
    expect(deliveryLines).toEqual([
      expect.objectContaining({ msg: "commercelayer webhook", platform: "vercel", outcome: "handled", status: 200 }),
    ]);
    expect(handlerLines).toEqual([]);
  });

  it("waits for deferred handlers, run on the verified event after the answer, with their own line", async () => {
    const { status, deliveryLines, data } = await deliverSample("orders.place", { file });
    expect(status).toBe(200);
    expect(notify).toHaveBeenCalledWith(`deferred ${data.id}`);
    expect(deliveryLines.map((line) => line.platform).sort()).toEqual(["vercel", "vercel-wait-until"]);
  });

  it("a deferred handler that fails: 200 to Commerce Layer, the failure in the deferred work's line", async () => {
    vi.mocked(notify).mockRejectedValueOnce(new TypeError("down"));
    const { status, deliveryLines } = await deliverSample("orders.place", { file });
    expect(status).toBe(200);
    expect(deliveryLines).toContainEqual(
      expect.objectContaining({ platform: "vercel-wait-until", outcome: "failed", errors: ["TypeError: down"] }),
    );
  });

  it("a direct handler that fails is a 500 handler_failed", async () => {
    vi.mocked(notify).mockRejectedValueOnce(new Error("no"));
    const { status, answer } = await deliverSample("customers.create", { file });
    expect({ status, answer }).toEqual({ status: 500, answer: { error: "handler_failed" } });
  });

  it("fake timers reach the handlers: a minute's wait takes none", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const delivered = deliverSample("shipments.ship", { file });
    await vi.advanceTimersByTimeAsync(60_000);
    const { status, data } = await delivered;
    expect(status).toBe(200);
    expect(notify).toHaveBeenCalledWith(`after a minute ${data.id}`);
  });

  it("leaves the console and the secret variable as they were", async () => {
    const log = console.log;
    const secret = process.env.COMMERCELAYER_WEBHOOK_SECRET;
    await deliverSample("parcels.create", { file });
    expect(console.log).toBe(log);
    expect(process.env.COMMERCELAYER_WEBHOOK_SECRET).toBe(secret);
  });
});
