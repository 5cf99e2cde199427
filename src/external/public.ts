// What every external-resource factory file exports besides its create function: the handler map's helpers and types.
export {
  type PaymentOutcome,
  type PostPaymentOutcomeOptions,
  paymentOutcomeBody,
  postPaymentOutcome,
} from "./callback.ts";
export { defineExternalHandlers, type ExternalEvent, type ExternalHandler, type ExternalHandlers } from "./handlers.ts";
export { EXTERNAL_KIND_NAMES, type ExternalKind } from "./kinds.ts";
export type { ExternalLogEntry, ExternalLogger, ExternalOutcome } from "./log.ts";
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
