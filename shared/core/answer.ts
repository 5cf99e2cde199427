// The one place where an outcome becomes an HTTP status. Commerce Layer counts any non-2xx as a failure, retries it
// (shared/core/commerce-layer.ts), and switches the webhook off after enough failures in a row, so only a real fault
// answers non-2xx: unknown topics and duplicates are 200.
//
//   200 handled, ignored (no handler: unknown topics included), duplicate      405 not POST
//   413 body over the limit (checked before hashing)                           401 missing or wrong signature,
//                                                                                   or not the secret of the topic
//   404 an external kind not served here
//   400 signed but not a JSON:API document, topic missing/malformed, or topic (or kind) and data.type disagree
//   500 no secret configured, a handler failed, the deduplication store or the hand-off failed (Commerce Layer retries)
// An external kind's answer carries the status of its document (shared/external/documents.ts).
import type { RejectedReason } from "./result.ts";

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" } as const;

/** The refusals that are not a 400. */
const REJECTED_STATUS: Partial<Record<RejectedReason, number>> = {
  method_not_allowed: 405,
  body_too_large: 413,
  not_implemented: 404,
  missing_signature: 401,
  duplicate_signature_header: 401,
  invalid_signature: 401,
  unbound_topic: 401,
  signed_for_another_topic: 401,
};

/** The status of any result: a refusal by its reason, a failure 500, anything else its own status or 200. */
export function statusOf(result: {
  readonly outcome: string;
  readonly reason?: string;
  readonly status?: number;
}): number {
  if (result.outcome === "rejected") return REJECTED_STATUS[result.reason as RejectedReason] ?? 400;
  if (result.outcome === "failed") return 500;
  return result.status ?? 200;
}

/** A JSON answer with the headers its status needs (405 says which method is allowed). */
export function jsonAnswer(status: number, body: string): HttpAnswer {
  return { status, headers: status === 405 ? { ...JSON_HEADERS, allow: "POST" } : JSON_HEADERS, body };
}
