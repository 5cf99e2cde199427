// Tests of your handlers: `npm run test:handlers`. Edit them along with functions/handlers.ts. deliverSample signs a
// realistic sample delivery, sends it through the bundle built from your handlers file, waits for the deferred
// handlers too, and returns the answer and the JSON lines printed (the receiver's and your handlers' own).
import { describe, expect, it } from "vitest";
import { deliverSample } from "../infra/testing/deliver.ts";

describe("the example handlers", () => {
  it("orders.place is deferred: answered at once, then run with the order's number and line items", async () => {
    const { status, answer, deliveryLines, handlerLines, data } = await deliverSample("orders.place");
    expect(status).toBe(200);
    expect(answer.outcome).toBe("handled");
    expect(handlerLines).toContainEqual(
      expect.objectContaining({ topic: "orders.place", id: data.id, order_number: data.attributes.number }),
    );
    // Two lines: the receiving function's (handed off), then the worker's (ran the deferred handler).
    expect(deliveryLines.map((line) => line.outcome)).toEqual(["handled", "handled"]);
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
