// What became of a delivery. The core decides a result; answer.ts alone turns it into HTTP, and a queue worker reads
// it as it is (retry or not), so nothing downstream decodes status codes.

/** Refused before any handler ran; Commerce Layer would get the same answer again, so retrying does not help. */
export type RejectedReason =
  | "method_not_allowed"
  | "body_too_large"
  | "body_aborted"
  | "missing_signature"
  | "duplicate_signature_header"
  | "invalid_signature"
  | "missing_topic"
  | "malformed_topic"
  | "invalid_payload"
  | "topic_type_mismatch"
  | "not_an_http_event"
  | "not_a_queued_delivery";

/** A fault on this side (configuration, a handler, a store, a queue): worth a retry once it is fixed. */
export type FailedReason =
  | "no_secret_configured"
  | "body_already_parsed"
  | "body_already_consumed"
  | "handler_failed"
  | "claim_store_unavailable"
  | "deferred_work_crashed";

export type DeliveryResult =
  | {
      /** Verified and routed: `handled` ran handlers, `ignored` had none, `duplicate` was claimed before. */
      readonly outcome: "handled" | "ignored" | "duplicate";
      readonly topic: string;
      readonly id: string;
      /** The handlers ran past the budget (see `at_risk`), so Commerce Layer may have timed out. */
      readonly slow?: boolean;
    }
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

/** True when the delivery needs nothing more: a worker deletes it from its queue. */
export function isSettled(outcome: DeliveryResult): boolean {
  return outcome.outcome === "handled" || outcome.outcome === "ignored" || outcome.outcome === "duplicate";
}
