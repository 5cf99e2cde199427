// Which Commerce Layer resource each external kind you implement serves: what functions/external-attachments.ts
// declares, and `npm run commercelayer` reads (infra/commercelayer/external-attachments.ts) to read each resource's
// secret and to point its URL fields at your deployment. Only types and an identity function: no deployable imports
// this file, so a runtime bundle never holds it.
import type { ExternalKind } from "./kinds.ts";

/** Every `payment-gateway/*` kind the handlers file implements, on one external gateway: one key for all its URLs. */
export const PAYMENT_GATEWAY = "payment-gateway";

/** A kind as functions/external.ts names it, or `payment-gateway` for all of a gateway's actions. */
export type AttachableKind = ExternalKind | typeof PAYMENT_GATEWAY;

/** A Commerce Layer resource: by its id, or by its name as the dashboard shows it (which must be unique). */
export type ResourceRef =
  | { readonly id: string; readonly name?: undefined }
  | { readonly name: string; readonly id?: undefined };

/**
 * Per kind, the resources of the type that holds its URL (shared/external/kinds.ts: `holder`): an external gateway,
 * an external tax calculator, markets, shipping methods, external promotions. Several resources of one kind share its
 * secret variable, comma-separated.
 */
export type ExternalAttachments = { readonly [K in AttachableKind]?: ResourceRef | readonly ResourceRef[] };

/** Types the attachments; a key that names no kind is a type error naming it, as in `defineExternalHandlers`. */
export function defineExternalAttachments(attachments: ExternalAttachments): ExternalAttachments {
  return attachments;
}
