// Your topic handlers and the template's options: the one file to edit. Every deployable bundle and `npm start` are
// built from it. Each key is a topic (`orders.place`), every topic of a resource (`orders.*`) or any topic (`*`); a key
// may hold one handler or an array. Topics with no handler are acknowledged and logged as ignored.
//
// A handler that throws fails the delivery and Commerce Layer retries it, so make handlers safe to run twice; Commerce
// Layer waits only a few seconds for the answer, so wrap slow work in `deferred(...)`: it then runs from the platform's
// queue after the answer (docs/commerce-layer.md has the numbers, docs/deferred-and-duplicates.md the queues).
// A handler reads only the related resources it declares with `withIncludes([...], handler)`: they become its
// webhook's `include_resources` (`npm run commercelayer -- apply`), and reading one it did not declare is a type error.
// Test your handlers in functions/handlers.test.ts (`npm run test:handlers` runs it).
import {
  deferred,
  defineTemplateOptions,
  defineWebhookHandlers,
  withIncludes,
} from "../shared/webhooks/handlers-file.ts";
import { importOrder } from "./erp.ts";

/** `jo***@example.com`: enough to recognise a customer in a log, without logging personal data in full. */
function maskEmail(email: string | null | undefined): string | undefined {
  if (!email) return undefined;
  const at = email.indexOf("@");
  if (at < 0) return "***";
  return `${email.slice(0, Math.min(2, at))}***${email.slice(at)}`;
}

function logHandled(fields: Record<string, unknown>): void {
  console.log(JSON.stringify({ level: "info", msg: "handled by example handler", ...fields }));
}

export const handlers = defineWebhookHandlers({
  // Deferred: handed to the platform's queue (SQS, a Netlify background function, Vercel's waitUntil) and run after
  // Commerce Layer has its answer. The place for slow work: an ERP call, an e-mail, a fulfilment request.
  // It reads the order's line items, so it declares them: Commerce Layer then sends them in the delivery's `included`.
  "orders.place": deferred(
    withIncludes(["line_items"], async (event) => {
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
      await importOrder({ number: order.number, lineItems: lineItems.length });
    }),
  ),

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

// Optional. Deduplication, for example (pick a store the platform you deploy to can reach):
//   deduplicate: { store: createMemoryDeduplicationStore() },
export const options = defineTemplateOptions({});
