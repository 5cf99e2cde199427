// The one place where a handler's answer becomes the document Commerce Layer reads: `{"success": true, "data": {...}}`
// (snake_case, as the API writes it) with 200, 202 for a pending payment, or HTTP >= 400 with `{code, message}` where the
// kind expects it. A result of the wrong shape (a handler in JavaScript, a typo) is a 500 with a generic code, never a
// half-right document. Facts and what was decided where the docs are silent: docs/external-resources.md.
import type { ExternalKind } from "./kinds.ts";
import { type ExternalFailure, isFailure, type Metadata } from "./results.ts";

export interface ExternalDocument {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

/** Why a handler's result cannot be sent; the answer is then a 500 `invalid_handler_result`. */
export class InvalidResult extends Error {
  override readonly name = "InvalidResult";
}

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function need(ok: boolean, what: string): void {
  if (!ok) throw new InvalidResult(what);
}

const isCents = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
const isText = (value: unknown) => typeof value === "string" && value !== "";
const isRate = (value: unknown) => typeof value === "number" && Number.isFinite(value) && value >= 0;
const optional = (value: unknown, check: (value: unknown) => boolean) => value === undefined || check(value);

/** Copies the named fields that are set, renamed to snake_case. */
function snake(from: Fields, names: readonly string[]): Fields {
  const to: Fields = {};
  for (const name of names)
    if (from[name] !== undefined) to[name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)] = from[name];
  return to;
}

function withMetadata(data: Fields, metadata: unknown): Fields {
  need(optional(metadata, isObject), "metadata must be an object");
  return metadata === undefined ? data : { ...data, metadata: metadata as Metadata };
}

function payment(result: Fields): ExternalDocument {
  need(isText(result.transactionToken), "transactionToken must be a non-empty string");
  need(isCents(result.amountCents), "amountCents must be a whole number of cents, 0 or more");
  need(optional(result.actionId, isText), "actionId must be a non-empty string");
  const data = withMetadata(snake(result, ["transactionToken", "amountCents", "actionId"]), result.metadata);
  // A pending (asynchronous) payment is a 202 with its action_id; the outcome is posted later (callback.ts).
  return { status: result.actionId === undefined ? 200 : 202, body: { success: true, data } };
}

function customerToken(result: Fields): ExternalDocument {
  need(isText(result.customerToken), "customerToken must be a non-empty string");
  return {
    status: 200,
    body: { success: true, data: withMetadata(snake(result, ["customerToken"]), result.metadata) },
  };
}

const LINE_TAX_FIELDS = [
  "id",
  "taxRate",
  "taxCollectable",
  "countryTaxCollectable",
  "countryTaxRate",
  "countryTaxableAmount",
  "specialTaxRate",
  "taxableAmount",
] as const;

function tax(result: Fields): ExternalDocument {
  need(optional(result.taxRate, isRate), "taxRate must be a number, 0 or more");
  need(optional(result.lineItems, Array.isArray), "lineItems must be an array");
  need(result.taxRate !== undefined || result.lineItems !== undefined, "give taxRate, lineItems, or both");
  need(
    optional(result.freightTaxable, (value) => typeof value === "boolean"),
    "freightTaxable must be a boolean",
  );
  const lineItems = (result.lineItems as unknown[] | undefined)?.map((line) => {
    need(isObject(line) && isText(line.id), "each of lineItems needs an id");
    const fields = line as Fields;
    for (const name of LINE_TAX_FIELDS.slice(1))
      need(optional(fields[name], isRate), `lineItems: ${name} must be a number, 0 or more`);
    return snake(fields, LINE_TAX_FIELDS);
  });
  const data = { ...snake(result, ["taxRate", "freightTaxable"]), ...(lineItems ? { line_items: lineItems } : {}) };
  return { status: 200, body: { success: true, data: withMetadata(data, result.metadata) } };
}

function price(result: Fields): ExternalDocument {
  need(isText(result.skuCode), "skuCode must be a non-empty string");
  need(isCents(result.unitAmountCents), "unitAmountCents must be a whole number of cents, 0 or more");
  need(optional(result.compareAtAmountCents, isCents), "compareAtAmountCents must be a whole number of cents");
  const data = snake(result, ["skuCode", "unitAmountCents", "compareAtAmountCents"]);
  return { status: 200, body: { success: true, data: withMetadata(data, result.metadata) } };
}

function shippingCost(result: Fields): ExternalDocument {
  need(isCents(result.amountCents), "amountCents must be a whole number of cents, 0 or more");
  // The docs do not show this document: the amount goes under both names it could be read by (see the docs page).
  const data = { shipping_amount_cents: result.amountCents, amount_cents: result.amountCents };
  return { status: 200, body: { success: true, data: withMetadata(data, result.metadata) } };
}

function orderValidation(result: Fields): ExternalDocument {
  need(result.valid === true, "answer { valid: true }, or invalidOrder([...]) to refuse");
  return { status: 200, body: { success: true, data: withMetadata({}, result.metadata) } };
}

function promotion(result: Fields): ExternalDocument {
  need(isText(result.name), "name must be a non-empty string");
  need(optional(result.discountCents, isCents), "discountCents must be a whole number of cents, 0 or more");
  need(optional(result.lineItems, Array.isArray), "lineItems must be an array");
  need(result.discountCents !== undefined || result.lineItems !== undefined, "give discountCents, lineItems, or both");
  const lines = result.lineItems as unknown[] | undefined;
  const perLine = lines?.some((line) => isObject(line) && line.discountCents !== undefined) ?? false;
  const lineItems = lines?.map((line) => {
    need(isObject(line) && isText(line.id), "each of lineItems needs an id");
    const fields = line as Fields;
    need(optional(fields.discountCents, isCents), "lineItems: discountCents must be a whole number of cents");
    // Commerce Layer's rule: per-line discounts are given on every line or on none.
    need(!perLine || fields.discountCents !== undefined, "lineItems: give discountCents on every line, or on none");
    return snake(fields, ["id", "discountCents"]);
  });
  const data = { ...snake(result, ["name", "discountCents"]), ...(lineItems ? { line_items: lineItems } : {}) };
  return { status: 200, body: { success: true, data: withMetadata(data, result.metadata) } };
}

const BUILDERS: Readonly<Record<ExternalKind, (result: Fields) => ExternalDocument>> = {
  "payment-gateway/authorize": payment,
  "payment-gateway/capture": payment,
  "payment-gateway/void": payment,
  "payment-gateway/refund": payment,
  "payment-gateway/customer-token": customerToken,
  "tax-calculator": tax,
  prices: price,
  "shipping-costs": shippingCost,
  "order-validation": orderValidation,
  promotion,
};

/** The message an error document gives for a refusal: what went wrong, never the details (the log line has those). */
const REFUSAL_MESSAGES: Readonly<Record<string, string>> = {
  method_not_allowed: "Commerce Layer POSTs",
  not_implemented: "no handler for this external resource here",
  no_secret_configured: "not configured",
  body_too_large: "body too large",
  missing_signature: "signature missing",
  duplicate_signature_header: "signature missing",
  invalid_signature: "invalid signature",
  invalid_payload: "invalid payload",
  resource_type_mismatch: "unexpected resource type",
  handler_failed: "the handler failed",
  invalid_handler_result: "the handler's result is not one this kind sends",
};

export function refusalMessage(reason: string): string {
  return REFUSAL_MESSAGES[reason] ?? reason;
}

/** An error document: `{success: false, error: {code, message}}`, plus what the kind reads besides. */
export function errorDocument(
  kind: ExternalKind | undefined,
  status: number,
  code: string,
  message: string,
  extra?: ExternalFailure["failure"],
): ExternalDocument {
  const error = { code, message };
  const body: Fields = { success: false, error };
  // Payment gateways (2021 docs) read the error inside `data`; today's docs do not show where: both are sent.
  if (kind?.startsWith("payment-gateway/")) body.data = { error };
  if (kind === "order-validation" && extra?.errors !== undefined) {
    // Per-attribute errors go inside `data`, keyed by the order's attribute; `base` for the order as a whole. A Map
    // then fromEntries: any attribute name (`__proto__` too) becomes a key of its own.
    const byAttribute = new Map<string, string[]>();
    for (const item of extra.errors) {
      const attribute = item.attribute ?? "base";
      byAttribute.set(attribute, [...(byAttribute.get(attribute) ?? []), item.message]);
    }
    body.data = Object.fromEntries(byAttribute);
  }
  return { status, body };
}

const isErrorList = (value: unknown) =>
  Array.isArray(value) &&
  value.every((item) => isObject(item) && typeof item.message === "string" && optional(item.attribute, isText));

function failureDocument(kind: ExternalKind, failure: ExternalFailure["failure"]): ExternalDocument {
  // Checked as if untyped: a handler in JavaScript can return `{ failure: null }` or errors that are not a list.
  need(isObject(failure), "failure must be an object: use failure(...) or invalidOrder([...])");
  need(isText(failure.code) && typeof failure.message === "string", "failure needs a code and a message");
  need(optional(failure.errors, isErrorList), "failure errors must be a list of { attribute?, message }");
  const status = failure.status ?? 422;
  need(Number.isInteger(status) && status >= 400 && status <= 599, "failure status must be 400 to 599");
  return errorDocument(kind, status, failure.code, failure.message, failure);
}

/** The document for a handler's answer; throws InvalidResult when the answer is not one the kind can send. */
export function documentOf(kind: ExternalKind, answer: unknown): ExternalDocument {
  if (isFailure(answer)) return failureDocument(kind, answer.failure);
  need(isObject(answer), "the handler returned no result (return the kind's result, or failure(...))");
  return BUILDERS[kind](answer as Fields);
}
