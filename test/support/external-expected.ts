// The exact documents the suites' external handlers (test/fixtures/external-handlers.ts) answer for the calls of
// test/support/external-requests.ts: with each kind's default id, and with an id starting `refuse`.
import type { ExternalKind } from "../../shared/external/kinds.ts";

export interface ExpectedAnswer {
  readonly status: number;
  readonly body: unknown;
}

export const EXPECTED_SUCCESS: Readonly<Record<ExternalKind, ExpectedAnswer>> = {
  "payment-gateway/authorize": {
    status: 200,
    body: {
      success: true,
      data: { transaction_token: "auth_external_payments_1", amount_cents: 7625, metadata: { order: "ord_xYz1" } },
    },
  },
  "payment-gateway/capture": {
    status: 200,
    body: {
      success: true,
      data: {
        transaction_token: "cap_authorizations_1",
        amount_cents: 7625,
        metadata: { kind: "payment-gateway/capture" },
      },
    },
  },
  "payment-gateway/void": {
    status: 200,
    body: {
      success: true,
      data: {
        transaction_token: "void_authorizations_1",
        amount_cents: 7625,
        metadata: { kind: "payment-gateway/void" },
      },
    },
  },
  "payment-gateway/refund": {
    status: 200,
    body: {
      success: true,
      data: { transaction_token: "ref_captures_1", amount_cents: 7625, metadata: { kind: "payment-gateway/refund" } },
    },
  },
  "payment-gateway/customer-token": { status: 200, body: { success: true, data: { customer_token: "ctok_cus_1" } } },
  "tax-calculator": {
    status: 200,
    body: {
      success: true,
      data: {
        freight_taxable: true,
        line_items: [
          { id: "li_1", tax_rate: 0.22, tax_collectable: 11 },
          { id: "li_2", tax_rate: 0.22, tax_collectable: 2.75 },
        ],
      },
    },
  },
  prices: {
    status: 200,
    body: {
      success: true,
      data: { sku_code: "TSHIRTMM000000FFFFFFXLXX", unit_amount_cents: 1200, compare_at_amount_cents: 2000 },
    },
  },
  "shipping-costs": {
    status: 200,
    body: { success: true, data: { shipping_amount_cents: 1090, amount_cents: 1090, metadata: { method: "shm_1" } } },
  },
  "order-validation": { status: 200, body: { success: true, data: {} } },
  promotion: { status: 200, body: { success: true, data: { name: "Ten percent", discount_cents: 625 } } },
};

const paymentRefusal = (id: string) => {
  const error = { code: "card_declined", message: `declined ${id}` };
  return { status: 402, body: { success: false, error, data: { error } } };
};

/** With the id `refuse_1`. */
export const REFUSED_ID = "refuse_1";
export const EXPECTED_FAILURE: Readonly<Record<ExternalKind, ExpectedAnswer>> = {
  "payment-gateway/authorize": paymentRefusal(REFUSED_ID),
  "payment-gateway/capture": paymentRefusal(REFUSED_ID),
  "payment-gateway/void": paymentRefusal(REFUSED_ID),
  "payment-gateway/refund": paymentRefusal(REFUSED_ID),
  "payment-gateway/customer-token": {
    status: 422,
    body: {
      success: false,
      error: { code: "no_customer", message: "unknown customer" },
      data: { error: { code: "no_customer", message: "unknown customer" } },
    },
  },
  "tax-calculator": {
    status: 400,
    body: { success: false, error: { code: "no_rate", message: `no rate for ${REFUSED_ID}` } },
  },
  prices: { status: 422, body: { success: false, error: { code: "no_price", message: `no price for ${REFUSED_ID}` } } },
  "shipping-costs": {
    status: 503,
    body: { success: false, error: { code: "no_route", message: "cannot ship there" } },
  },
  "order-validation": {
    status: 422,
    body: {
      success: false,
      error: { code: "invalid_order", message: `is blocked; order ${REFUSED_ID} cannot be placed` },
      data: { customer_email: ["is blocked"], base: [`order ${REFUSED_ID} cannot be placed`] },
    },
  },
  promotion: { status: 422, body: { success: false, error: { code: "not_eligible", message: "no promotion" } } },
};
