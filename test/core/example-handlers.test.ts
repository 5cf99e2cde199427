import { afterEach, describe, expect, it, vi } from "vitest";
import { handlers, maskEmail } from "../../functions/handlers.ts";
import { createWebhookReceiver } from "../../shared/receiver.ts";
import { signedDelivery, TEST_SECRET } from "../support/deliveries.ts";

afterEach(() => vi.restoreAllMocks());

async function deliver(topic: string) {
  const lines: Record<string, unknown>[] = [];
  vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(JSON.parse(line)));
  const receive = createWebhookReceiver(handlers, { secrets: [TEST_SECRET] });
  const delivery = signedDelivery(topic);
  const response = await receive({ method: "POST", headers: delivery.headers, body: delivery.body });
  return { response, lines, data: JSON.parse(delivery.body.toString()).data };
}

describe("the example handlers in functions/handlers.ts", () => {
  it("orders.place logs the order number, status, total and line item count", async () => {
    const { response, lines, data } = await deliver("orders.place");
    expect(response.status).toBe(200);
    expect(lines[0]).toMatchObject({
      topic: "orders.place",
      id: data.id,
      order_number: data.attributes.number,
      status: "placed",
      total: data.attributes.formatted_total_amount,
      line_items: 5,
    });
    expect(lines[1]).toMatchObject({ msg: "commercelayer webhook", outcome: "handled" });
  });

  it("customers.create logs a masked e-mail, never the whole address", async () => {
    const { lines, data } = await deliver("customers.create");
    expect(lines[0]).toMatchObject({ topic: "customers.create", customer: maskEmail(data.attributes.email) });
    expect(JSON.stringify(lines)).not.toContain(data.attributes.email);
  });

  it("shipments.ship logs the shipment number and status", async () => {
    const { lines, data } = await deliver("shipments.ship");
    expect(lines[0]).toMatchObject({ shipment_number: data.attributes.number, status: "shipped" });
  });

  it("other topics are acknowledged as ignored", async () => {
    const { response, lines } = await deliver("parcels.create");
    expect(response.status).toBe(200);
    expect(lines).toEqual([expect.objectContaining({ outcome: "ignored", topic: "parcels.create" })]);
  });

  it("maskEmail keeps two characters and the domain", () => {
    expect(maskEmail("jose.muller@example.com")).toBe("jo***@example.com");
    expect(maskEmail("a@b.c")).toBe("a***@b.c");
    expect(maskEmail(null)).toBeUndefined();
  });
});
