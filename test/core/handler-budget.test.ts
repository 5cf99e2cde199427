// Commerce Layer stops waiting after 5 seconds. Handlers still running at the budget (default 4 s) are logged once as at
// risk, at that moment, and left to finish; the final line says `slow: true`. Timers never outlive the delivery.
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_HANDLER_BUDGET_MS, handlerBudgetMsFromEnv } from "../../shared/core/env.ts";
import type { DeliveryLogEntry } from "../../shared/core/log.ts";
import { importFactory } from "../bundles/hostile/entry-points.ts";
import { signedDelivery, TEST_SECRET } from "../support/deliveries.ts";
import { receiverWithLog } from "../support/receiver.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const post = (delivery: { headers: Record<string, string>; body: Buffer }) => ({
  method: "POST",
  headers: delivery.headers,
  body: delivery.body,
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe("handler budget", () => {
  it("logs one at_risk line while the handlers still run, lets them finish, then the final line with slow: true", async () => {
    const events: string[] = [];
    const { receive, logs } = receiverWithLog(
      {
        "orders.place": async () => {
          await sleep(150);
          events.push("handler finished");
        },
      },
      {
        handlerBudgetMs: 50,
        log: (entry) => {
          events.push(`log ${entry.outcome}`);
          logs.push(entry);
        },
      },
    );
    const response = await receive(post(signedDelivery("orders.place")));
    expect(response.status).toBe(200);
    expect(events).toEqual(["log at_risk", "handler finished", "log handled"]);
    const [atRisk, final] = logs as [DeliveryLogEntry, DeliveryLogEntry];
    expect(atRisk).toMatchObject({ outcome: "at_risk", reason: "handler_budget_exceeded", topic: "orders.place" });
    expect(atRisk.id).toMatch(/^\w{10}$/);
    expect(atRisk.status).toBeUndefined();
    expect(atRisk.ms).toBeGreaterThanOrEqual(45);
    expect(final).toMatchObject({ outcome: "handled", status: 200, slow: true, id: atRisk.id });
    expect(final.ms).toBeGreaterThanOrEqual(150);
  });

  it("a slow handler that fails still answers 500 (Commerce Layer retries) and is marked slow", async () => {
    const { receive, logs } = receiverWithLog(
      {
        "orders.place": async () => {
          await sleep(80);
          throw new Error("downstream timed out");
        },
        "*": () => {},
      },
      { handlerBudgetMs: 20 },
    );
    const response = await receive(post(signedDelivery("orders.place")));
    expect(response.status).toBe(500);
    expect(logs.map((entry) => entry.outcome)).toEqual(["at_risk", "failed"]);
    expect(logs[1]).toMatchObject({ slow: true, errors: ["Error: downstream timed out"] });
  });

  it("says nothing extra for handlers within the budget, and leaves no timer behind", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { receive, logs } = receiverWithLog({ "orders.place": () => {} });
    expect((await receive(post(signedDelivery("orders.place")))).status).toBe(200);
    expect(vi.getTimerCount()).toBe(0);
    expect(logs).toHaveLength(1);
    expect(logs[0]).not.toHaveProperty("slow");
  });

  it("fires once, at the default budget, measured from the start of the delivery (fake timers)", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let release: () => void = () => {};
    const { receive, logs } = receiverWithLog({
      "orders.*": () => new Promise<void>((resolve) => (release = resolve)),
    });
    const answered = receive(post(signedDelivery("orders.cancel")));
    // The time already spent on the delivery (verification, parsing) comes off the budget: a few ms at most here.
    await vi.advanceTimersByTimeAsync(DEFAULT_HANDLER_BUDGET_MS - 50);
    expect(logs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(50);
    expect(logs.map((entry) => entry.outcome)).toEqual(["at_risk"]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(logs).toHaveLength(1);
    release();
    expect((await answered).status).toBe(200);
    expect(logs.map((entry) => entry.outcome)).toEqual(["at_risk", "handled"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("marks slow a delivery whose synchronous handler blocked past the budget (the timer could not fire)", async () => {
    const { receive, logs } = receiverWithLog(
      {
        "orders.place": () => {
          const until = performance.now() + 40;
          while (performance.now() < until);
        },
      },
      { handlerBudgetMs: 10 },
    );
    await receive(post(signedDelivery("orders.place")));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ outcome: "handled", slow: true });
  });

  it("reads COMMERCELAYER_WEBHOOK_BUDGET_MS at every delivery; 0 turns the warning off; nonsense keeps the default", async () => {
    const { receive, logs } = receiverWithLog({ "orders.place": () => sleep(40) });
    vi.stubEnv("COMMERCELAYER_WEBHOOK_BUDGET_MS", "10");
    await receive(post(signedDelivery("orders.place")));
    expect(logs.map((entry) => entry.outcome)).toEqual(["at_risk", "handled"]);
    vi.stubEnv("COMMERCELAYER_WEBHOOK_BUDGET_MS", "0");
    await receive(post(signedDelivery("orders.place")));
    expect(logs.slice(2)).toEqual([expect.objectContaining({ outcome: "handled" })]);
    expect(logs[2]).not.toHaveProperty("slow");
    for (const [raw, expected] of [
      ["", DEFAULT_HANDLER_BUDGET_MS],
      ["-5", DEFAULT_HANDLER_BUDGET_MS],
      ["soon", DEFAULT_HANDLER_BUDGET_MS],
      ["2500", 2500],
    ] as const) {
      vi.stubEnv("COMMERCELAYER_WEBHOOK_BUDGET_MS", raw);
      expect(handlerBudgetMsFromEnv()).toBe(expected);
    }
  });

  it("the default logger writes the at_risk line as a warning, and neither line holds payload values", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    try {
      const factory = await importFactory<{
        createVercelWebhookHandler: (...args: unknown[]) => (r: Request) => Promise<Response>;
      }>("vercel");
      const POST = factory.createVercelWebhookHandler(
        { "orders.place": () => sleep(120) },
        { secrets: [TEST_SECRET], handlerBudgetMs: 50 },
      );
      const delivery = signedDelivery("orders.place");
      const response = await POST(
        new Request("https://example.app/api/webhooks/commercelayer", {
          method: "POST",
          headers: delivery.headers,
          body: new Uint8Array(delivery.body),
        }),
      );
      expect(response.status).toBe(200);
      const parsed = lines.map((line) => JSON.parse(line));
      expect(parsed).toEqual([
        expect.objectContaining({
          level: "warn",
          outcome: "at_risk",
          reason: "handler_budget_exceeded",
          platform: "vercel",
        }),
        expect.objectContaining({ level: "warn", outcome: "handled", status: 200, slow: true, platform: "vercel" }),
      ]);
      const order = JSON.parse(delivery.body.toString()).data.attributes;
      for (const line of lines) {
        expect(line).not.toContain(order.customer_email);
        expect(line).not.toContain(delivery.headers["x-commercelayer-signature"]);
      }
    } finally {
      spy.mockRestore();
    }
  });

  it("through the Lambda factory bundle, configured by the environment", async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", TEST_SECRET);
    vi.stubEnv("COMMERCELAYER_WEBHOOK_BUDGET_MS", "30");
    try {
      const factory = await importFactory<{
        createLambdaWebhookHandler: (...args: unknown[]) => (event: unknown) => Promise<{ statusCode: number }>;
      }>("aws-lambda");
      const handler = factory.createLambdaWebhookHandler({ "*": () => sleep(80) });
      const delivery = signedDelivery("shipments.ship");
      const event = {
        version: "2.0",
        headers: delivery.headers,
        requestContext: { http: { method: "POST" } },
        body: delivery.body.toString("base64"),
        isBase64Encoded: true,
      };
      expect((await handler(event)).statusCode).toBe(200);
      expect(lines.map((line) => JSON.parse(line).outcome)).toEqual(["at_risk", "handled"]);
    } finally {
      spy.mockRestore();
    }
  });
});
