// What became of a call. The pipeline and its sides decide a result; answer.ts alone turns it into an HTTP status,
// and a queue worker reads it as it is (retry or not), so nothing downstream decodes status codes.

/** Refused before any handler ran; Commerce Layer would get the same answer again, so retrying does not help. */
export const REJECTED_REASONS = [
  "method_not_allowed",
  "body_too_large",
  "body_aborted",
  "missing_signature",
  "duplicate_signature_header",
  "invalid_signature",
  "unbound_topic",
  "signed_for_another_topic",
  "missing_topic",
  "malformed_topic",
  "invalid_payload",
  "topic_type_mismatch",
  "resource_type_mismatch",
  "not_implemented",
  "not_an_http_event",
  "not_a_queued_delivery",
] as const;

/** A fault on this side (configuration, a handler, a store, a queue): worth a retry once it is fixed. */
export const FAILED_REASONS = [
  "no_secret_configured",
  "body_already_parsed",
  "body_already_consumed",
  "handler_failed",
  "invalid_handler_result",
  "deduplication_store_unavailable",
  "deferred_work_crashed",
] as const;

export type RejectedReason = (typeof REJECTED_REASONS)[number];
export type FailedReason = (typeof FAILED_REASONS)[number];

/** A call refused or failed, with its reason name (the same in the answer and in the log line). */
export type Refusal =
  | {
      readonly outcome: "rejected";
      readonly reason: RejectedReason;
      readonly topic?: string;
      readonly id?: string;
      readonly hint?: string;
    }
  | {
      readonly outcome: "failed";
      readonly reason: FailedReason;
      readonly topic?: string;
      readonly id?: string;
      readonly hint?: string;
      /** `Name: message` of each error (no stack). */
      readonly errors?: readonly string[];
      readonly slow?: boolean;
    };

/**
 * A refusal of `reason`, with what a log line may add (in the order given). Written once, since a dozen call sites
 * refuse and each repeats nothing but its own reason and details (the copied bundles are read, and counted, minified).
 */
export function rejected(
  reason: RejectedReason,
  details?: { readonly topic?: string; readonly id?: string; readonly hint?: string },
): Refusal {
  return { outcome: "rejected", reason, ...details };
}

/** A failure of `reason`, likewise. */
export function failed(
  reason: FailedReason,
  details?: {
    readonly topic?: string;
    readonly id?: string;
    readonly hint?: string;
    readonly errors?: readonly string[];
  },
): Refusal {
  return { outcome: "failed", reason, ...details };
}

/** What became of a webhook delivery. */
export type DeliveryResult =
  | {
      /** Verified and routed: `handled` ran handlers, `ignored` had none, `duplicate` was seen before. */
      readonly outcome: "handled" | "ignored" | "duplicate";
      readonly topic: string;
      readonly id: string;
      /** The handlers ran past the budget (see `at_risk`), so Commerce Layer may have timed out. */
      readonly slow?: boolean;
    }
  | Refusal;

/** True when the delivery needs nothing more: a worker deletes it from its queue. */
export function isSettled(outcome: DeliveryResult): boolean {
  return outcome.outcome === "handled" || outcome.outcome === "ignored" || outcome.outcome === "duplicate";
}
