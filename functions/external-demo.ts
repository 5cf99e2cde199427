// ============================================================================================================
// DEMO ONLY: NEVER FOR PRODUCTION. External-resource handlers with made-up business rules, so that every external
// endpoint of `npm start` answers a real document with no configuration: a flat tax rate, a price read from the SKU's
// metadata with a fallback, a fixed shipping cost, one order-validation rule, a promotion by rule, and a payment
// "gateway" that moves no money (it approves test-mode amounts, and answers 202 for the asynchronous example).
// Only `npm start` serves it (for each kind functions/external.ts does not implement). A deployment holds it only if
// functions/external.ts imports it: copy the handler you need there and change its rule.
// ============================================================================================================
import type { JsonApiResource } from "../shared/core/payload.ts";
import { defineExternalHandlers, type ExternalEvent, failure, invalidOrder } from "../shared/external/handlers-file.ts";

/** One rate for every order, as a country's VAT would be: 22% (Italy's standard rate). */
export const DEMO_TAX_RATE = 0.22;
/** Where the demo reads a SKU's price: its metadata, `{"unit_amount_cents": 2500}`. */
export const DEMO_PRICE_METADATA_KEY = "unit_amount_cents";
/** The price of a SKU whose metadata has none. */
export const DEMO_FALLBACK_PRICE_CENTS = 1000;
/** Every shipment costs the same. */
export const DEMO_SHIPPING_CENTS = 700;
/** The order-validation rule: no line item of more pieces than this. */
export const DEMO_MAX_QUANTITY = 10;
/** The promotion rule: this percentage off orders whose subtotal reaches DEMO_PROMOTION_THRESHOLD_CENTS. */
export const DEMO_PROMOTION_PERCENT = 10;
export const DEMO_PROMOTION_THRESHOLD_CENTS = 5000;
/** A test-mode amount ending in these cents is declined, to show a payment failure (as test cards do). */
export const DEMO_DECLINED_CENTS = 13;

type Attributes = Readonly<Record<string, unknown>>;
const attributesOf = (resource: JsonApiResource | undefined): Attributes => (resource?.attributes ?? {}) as Attributes;
const centsOf = (value: unknown): number => (Number.isSafeInteger(value) ? (value as number) : 0);

/** The payment "gateway": live mode is refused (the demo moves no money), a `...13` amount is declined. */
function payment(event: ExternalEvent, amountCents: number, action: string) {
  if (event.payload.data.meta?.mode === "live")
    return failure("demo_gateway_test_only", "the demo gateway only answers test-mode calls", 422);
  if (amountCents % 100 === DEMO_DECLINED_CENTS)
    return failure("card_declined", `demo: amounts ending in .${DEMO_DECLINED_CENTS} are declined`, 422);
  return { transactionToken: `demo_${action}_${event.id}`, amountCents, metadata: { demo_gateway: action } };
}

/** The order a payment call is about (included by Commerce Layer as `order`). */
const orderOf = (event: ExternalEvent) => event.relatedOne("order");

export const demoExternalHandlers = defineExternalHandlers({
  "payment-gateway/authorize": (event) => {
    const amountCents = centsOf(attributesOf(orderOf(event)).total_amount_with_taxes_cents);
    const answer = payment(event, amountCents, "authorize");
    // The asynchronous example: an external payment with `options.async` stays pending (202 + action_id); the real
    // gateway would later post the outcome with postPaymentOutcome (shared/external/callback.ts).
    if ("failure" in answer || event.data.attributes.options?.async !== true) return answer;
    return { ...answer, actionId: `demo_action_${globalThis.crypto.randomUUID()}` };
  },
  "payment-gateway/capture": (event) => payment(event, centsOf(event.data.attributes.amount_cents), "capture"),
  "payment-gateway/void": (event) => payment(event, centsOf(event.data.attributes.amount_cents), "void"),
  "payment-gateway/refund": (event) => payment(event, centsOf(event.data.attributes.amount_cents), "refund"),
  "payment-gateway/customer-token": (event) => ({ customerToken: `demo_customer_token_${event.id}` }),

  "tax-calculator": () => ({ taxRate: DEMO_TAX_RATE, metadata: { demo_tax: "flat rate" } }),

  prices: (event) => {
    const skuCode = event.data.attributes.sku_code;
    if (!skuCode) return failure("missing_sku_code", "demo: the line item has no sku_code", 422);
    const metadata = (attributesOf(event.relatedOne("item")).metadata ?? {}) as Attributes;
    const fromMetadata = metadata[DEMO_PRICE_METADATA_KEY];
    const unitAmountCents = Number.isSafeInteger(fromMetadata) ? (fromMetadata as number) : DEMO_FALLBACK_PRICE_CENTS;
    return {
      skuCode,
      unitAmountCents,
      metadata: { demo_price: Number.isSafeInteger(fromMetadata) ? "sku" : "fallback" },
    };
  },

  "shipping-costs": () => ({ amountCents: DEMO_SHIPPING_CENTS }),

  "order-validation": (event) => {
    const tooMany = event
      .relatedMany("line_items")
      .filter((line) => centsOf(attributesOf(line).quantity) > DEMO_MAX_QUANTITY);
    if (tooMany.length === 0) return { valid: true };
    return invalidOrder(
      tooMany.map((line) => ({
        attribute: "line_items",
        code: "quantity_too_large",
        message: `${String(attributesOf(line).sku_code)}: at most ${DEMO_MAX_QUANTITY} pieces per order`,
      })),
    );
  },

  promotion: (event) => {
    const subtotal = centsOf(event.data.attributes.subtotal_amount_cents);
    // Not eligible is a zero discount, not a failure: failures count towards the resource's circuit breaker.
    const eligible = subtotal >= DEMO_PROMOTION_THRESHOLD_CENTS;
    const discountCents = eligible ? Math.round((subtotal * DEMO_PROMOTION_PERCENT) / 100) : 0;
    return { name: `Demo: ${DEMO_PROMOTION_PERCENT}% off from ${DEMO_PROMOTION_THRESHOLD_CENTS / 100}`, discountCents };
  },
});
