// Tests of your handlers: `npm run test:handlers`. Edit them along with functions/handlers.ts. deliverSample signs a
// realistic sample delivery and sends it, in this process, through the same pipeline the deployed functions run
// (verification, routing, deferral); it waits for the deferred handlers too, and returns the answer and every line
// printed. Your handlers are imported by vitest itself, so vi.mock, spies and fake timers work as in any test.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { deliverSample } from "../infra/testing/deliver.ts";
import { importOrder } from "./erp.ts";

// The ERP is mocked: no order is imported anywhere while the tests run.
vi.mock("./erp.ts", () => ({ importOrder: vi.fn(async () => {}) }));

beforeEach(() => {
  vi.mocked(importOrder).mockReset();
});

describe("the example handlers", () => {
  it("orders.place is deferred: answered at once, then the order goes to the ERP", async () => {
    const { status, answer, deliveryLines, data } = await deliverSample("orders.place");
    expect(status).toBe(200);
    expect(answer.outcome).toBe("handled");
    expect(importOrder).toHaveBeenCalledOnce();
    expect(importOrder).toHaveBeenCalledWith(expect.objectContaining({ number: data.attributes.number }));
    // Two lines, in no fixed order: the receiving function's (it handed the delivery off) and the deferred work's.
    const byPlatform = Object.fromEntries(deliveryLines.map((line) => [line.platform, line.outcome]));
    expect(byPlatform).toEqual({ vercel: "handled", "vercel-wait-until": "handled" });
  });

  it("an ERP failure fails the deferred work, in its own line: Commerce Layer has its 200 already", async () => {
    vi.mocked(importOrder).mockRejectedValueOnce(new Error("ERP unavailable"));
    const { status, deliveryLines } = await deliverSample("orders.place");
    expect(status).toBe(200);
    expect(deliveryLines).toContainEqual(
      expect.objectContaining({
        platform: "vercel-wait-until",
        outcome: "failed",
        reason: "handler_failed",
        errors: ["Error: ERP unavailable"],
      }),
    );
  });

  it("customers.create logs the customer with a masked e-mail", async () => {
    const { handlerLines } = await deliverSample("customers.create");
    const [line] = handlerLines;
    expect(line).toMatchObject({ topic: "customers.create" });
    expect(String(line?.customer)).toMatch(/^.{1,2}\*\*\*@/);
  });

  it("a topic without a handler is acknowledged as ignored", async () => {
    const { status, answer, handlerLines } = await deliverSample("parcels.create");
    expect(status).toBe(200);
    expect(answer.outcome).toBe("ignored");
    expect(handlerLines).toEqual([]);
  });
});
