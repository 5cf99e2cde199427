// The one place where an outcome becomes an HTTP answer. Commerce Layer counts any non-2xx as a failure, retries it
// (src/core/commerce-layer.ts), and switches the webhook off after enough failures in a row, so only a real fault
// answers non-2xx: unknown topics and duplicates are 200.
//
//   200 handled, ignored (no handler: unknown topics included), duplicate      405 not POST
//   413 body over the limit (checked before hashing)                           401 missing or wrong signature
//   400 signed but not a JSON:API document, topic missing/malformed, or topic and data.type disagree
//   500 no secret configured, a handler failed, the claim store or the hand-off failed (Commerce Layer retries)
import type { DeliveryResult, RejectedReason } from "./result.ts";

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" } as const;

function rejectedStatus(reason: RejectedReason): number {
  switch (reason) {
    case "method_not_allowed":
      return 405;
    case "body_too_large":
      return 413;
    case "missing_signature":
    case "duplicate_signature_header":
    case "invalid_signature":
      return 401;
    default:
      return 400;
  }
}

export function statusOf(result: DeliveryResult): number {
  if (result.outcome === "rejected") return rejectedStatus(result.reason);
  return result.outcome === "failed" ? 500 : 200;
}

export function toHttpAnswer(result: DeliveryResult): HttpAnswer {
  const status = statusOf(result);
  // A refusal or a failure names its reason, never the details (the log line has those).
  const body = "reason" in result ? `{"error":"${result.reason}"}` : `{"received":true,"outcome":"${result.outcome}"}`;
  return { status, headers: status === 405 ? { ...JSON_HEADERS, allow: "POST" } : JSON_HEADERS, body };
}
