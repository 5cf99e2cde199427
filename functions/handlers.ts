// Your topic handlers: the one file to edit. Each key is a topic (`orders.place`), every topic of a resource
// (`orders.*`) or any topic (`*`); a key may hold one handler or an array. Topics with no handler are acknowledged
// with 200 and logged as ignored, so Commerce Layer never counts them as failures.
//
// A handler that throws makes the delivery answer 500 and Commerce Layer retries it (up to 10 times), so make
// handlers safe to run twice. Commerce Layer waits 5 seconds for the answer: keep slow work out of the request.
import { defineWebhookHandlers } from "../shared/router.ts";

/** `jo***@example.com`: enough to recognise a customer in a log, without logging personal data in full. */
export function maskEmail(email: string | null | undefined): string | undefined {
  if (!email) return undefined;
  const at = email.indexOf("@");
  if (at < 0) return "***";
  return `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}

function logHandled(fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ level: "info", msg: "handled by example handler", ...fields }));
}

export const handlers = defineWebhookHandlers({
  "orders.place": async (event) => {
    const order = event.data.attributes;
    const lineItems = event.relatedMany("line_items");
    logHandled({
      topic: event.topic,
      id: event.id,
      order_number: order.number,
      status: order.status,
      total: order.formatted_total_amount ?? order.total_amount_float,
      line_items: lineItems.length,
    });
  },

  "customers.create": async (event) => {
    const customer = event.data.attributes;
    logHandled({ topic: event.topic, id: event.id, customer: maskEmail(customer.email), status: customer.status });
  },

  "shipments.ship": async (event) => {
    const shipment = event.data.attributes;
    logHandled({
      topic: event.topic,
      id: event.id,
      shipment_number: shipment.number,
      status: shipment.status,
      shipped_at: shipment.shipped_at,
    });
  },
});
