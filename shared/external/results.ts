// What an external-resource handler returns: a typed result per kind (camelCase, as TypeScript code writes it), or a
// failure. documents.ts turns either into exactly the document Commerce Layer reads.
import type { ExternalKind } from "./kinds.ts";

/** Stored by Commerce Layer on the resource (or the transaction) the call was about. */
export type Metadata = Readonly<Record<string, unknown>>;

/** A refusal: answered with `status` (>= 400, default 422) and `{code, message}` where the kind expects it. */
export interface ExternalFailure {
  readonly failure: {
    readonly code: string;
    readonly message: string;
    readonly status?: number;
    /** Order validation only: the errors per order attribute (`base` for the order as a whole). */
    readonly errors?: readonly { readonly attribute?: string; readonly code?: string; readonly message: string }[];
  };
}

export interface PaymentResult {
  /** The gateway's id of the transaction. */
  readonly transactionToken: string;
  readonly amountCents: number;
  /**
   * Asynchronous payments: the transaction stays pending, answered 202; post its outcome later with
   * `postPaymentOutcome` (callback.ts). Unique per action.
   */
  readonly actionId?: string;
  readonly metadata?: Metadata;
}

export interface CustomerTokenResult {
  readonly customerToken: string;
  readonly metadata?: Metadata;
}

export interface LineItemTax {
  readonly id: string;
  readonly taxRate?: number;
  /** An amount (2.25 is 225 cents), taking precedence over the rates. */
  readonly taxCollectable?: number;
  readonly countryTaxCollectable?: number;
  readonly countryTaxRate?: number;
  readonly countryTaxableAmount?: number;
  readonly specialTaxRate?: number;
  readonly taxableAmount?: number;
}

export interface TaxResult {
  /** One rate for the whole order; per-line values in `lineItems` take precedence. */
  readonly taxRate?: number;
  readonly lineItems?: readonly LineItemTax[];
  readonly freightTaxable?: boolean;
  readonly metadata?: Metadata;
}

export interface PriceResult {
  readonly skuCode: string;
  readonly unitAmountCents: number;
  /** Greater than the unit amount, or Commerce Layer sets it equal to it. */
  readonly compareAtAmountCents?: number;
  readonly metadata?: Metadata;
}

export interface ShippingCostResult {
  readonly amountCents: number;
  readonly metadata?: Metadata;
}

export interface OrderValidationResult {
  readonly valid: true;
  readonly metadata?: Metadata;
}

export interface PromotionResult {
  readonly name: string;
  /** The discount on the order's taxable items; or per line in `lineItems` (then on every listed line). */
  readonly discountCents?: number;
  readonly lineItems?: readonly { readonly id: string; readonly discountCents?: number }[];
  readonly metadata?: Metadata;
}

export interface ResultOfKind {
  readonly "payment-gateway/authorize": PaymentResult;
  readonly "payment-gateway/capture": PaymentResult;
  readonly "payment-gateway/void": PaymentResult;
  readonly "payment-gateway/refund": PaymentResult;
  readonly "payment-gateway/customer-token": CustomerTokenResult;
  readonly "tax-calculator": TaxResult;
  readonly prices: PriceResult;
  readonly "shipping-costs": ShippingCostResult;
  readonly "order-validation": OrderValidationResult;
  readonly promotion: PromotionResult;
}

export type HandlerAnswer<K extends ExternalKind> = ResultOfKind[K] | ExternalFailure;

/** A refusal with your code and message (HTTP `status`, default 422; Commerce Layer wants >= 400). */
export function failure(code: string, message: string, status = 422): ExternalFailure {
  return { failure: { code, message, status } };
}

/** Order validation's refusal: one message per order attribute (`base`, or no attribute, for the order itself). */
export function invalidOrder(
  errors: readonly { readonly attribute?: string; readonly code?: string; readonly message: string }[],
): ExternalFailure {
  const first = errors[0];
  return {
    failure: {
      code: first?.code ?? "invalid_order",
      message: errors.map((error) => error.message).join("; ") || "the order is not valid",
      status: 422,
      errors,
    },
  };
}

export function isFailure(answer: unknown): answer is ExternalFailure {
  return typeof answer === "object" && answer !== null && "failure" in answer;
}
