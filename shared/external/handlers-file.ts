// What a file of external-resource handlers imports (functions/external.ts, or yours beside a factory file): the
// handler map's helpers and types. Every external-resource factory file exports them besides its create function.

export type { ExternalLogEntry, ExternalLogger, ExternalOutcome } from "../core/log.ts";
export {
  type PaymentOutcome,
  type PostPaymentOutcomeOptions,
  paymentOutcomeBody,
  postPaymentOutcome,
} from "./callback.ts";
export { defineExternalHandlers, type ExternalEvent, type ExternalHandler, type ExternalHandlers } from "./handlers.ts";
export { EXTERNAL_KIND_NAMES, type ExternalKind } from "./kinds.ts";
export type { ExternalOptions, ExternalSecretEnv } from "./receiver.ts";
export {
  type CustomerTokenResult,
  type ExternalFailure,
  failure,
  invalidOrder,
  type LineItemTax,
  type Metadata,
  type OrderValidationResult,
  type PaymentResult,
  type PriceResult,
  type PromotionResult,
  type ShippingCostResult,
  type TaxResult,
} from "./results.ts";
