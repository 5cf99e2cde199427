// One structured line per call (and one more, earlier, for a call whose handlers run past the budget). It never holds
// the secret, the signature or payload values: only the topic or kind, the resource id, what happened and why.

/** The outcomes of both sides: `at_risk` is logged while handlers still run, before the final line. */
export type CallOutcome =
  | "handled"
  | "ignored"
  | "duplicate"
  | "answered"
  | "refused"
  | "rejected"
  | "failed"
  | "at_risk";

export interface CallLogEntry {
  readonly platform?: string;
  /** The webhook's topic, once checked. */
  readonly topic?: string;
  /** The external resource's kind. */
  readonly kind?: string;
  readonly id?: string;
  readonly outcome: CallOutcome;
  /** The status answered; absent only on `at_risk` lines, logged before there is an answer. */
  readonly status?: number;
  readonly ms: number;
  /** On the final line: the handlers ran past the budget (see `at_risk`), so Commerce Layer may have timed out. */
  readonly slow?: boolean;
  /** Why a call was rejected or failed, as a short code (`invalid_signature`, `handler_failed`, ...): see result.ts. */
  readonly reason?: string;
  /** A hint for the operator, where one helps (configuration errors). */
  readonly hint?: string;
  /** `Name: message` of each failed handler's error (no stack). */
  readonly errors?: readonly string[];
}

/** The level of a line, for both sides: a fault on our side is an error, a refusal or a slow call a warning. */
export function levelOf(entry: CallLogEntry): "error" | "warn" | "info" {
  if (entry.outcome === "failed" || (entry.status ?? 0) >= 500) return "error";
  if (entry.outcome === "rejected" || entry.outcome === "at_risk" || entry.slow) return "warn";
  return "info";
}

/** JSON on stdout, which CloudWatch, Vercel and Netlify all index as one structured record, under `msg`. */
export function jsonLogger(msg: string): (entry: CallLogEntry) => void {
  return (entry) => console.log(JSON.stringify({ level: levelOf(entry), msg, ...entry }));
}

/** The webhook side's lines (`msg: "commercelayer webhook"`). */
export type DeliveryOutcome = Exclude<CallOutcome, "answered" | "refused">;
export type DeliveryLogEntry = Omit<CallLogEntry, "kind" | "outcome"> & { readonly outcome: DeliveryOutcome };
export type DeliveryLogger = (entry: DeliveryLogEntry) => void;
export const logDeliveryAsJson: DeliveryLogger = /* @__PURE__ */ jsonLogger("commercelayer webhook");

const MAX_ERROR_TEXT = 200;

/** `Name: message`, clipped, without the stack. */
export function describeError(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : `thrown ${typeof error}`).slice(
    0,
    MAX_ERROR_TEXT,
  );
}

/**
 * The external-resource side's lines (`msg: "commercelayer external"`): `answered` sent the handler's result,
 * `refused` its failure(...); rejected and failed as for webhooks.
 */
export type ExternalOutcome = Exclude<CallOutcome, "handled" | "ignored" | "duplicate">;
export type ExternalLogEntry = Omit<CallLogEntry, "topic" | "outcome"> & { readonly outcome: ExternalOutcome };
export type ExternalLogger = (entry: ExternalLogEntry) => void;
export const EXTERNAL_LOG_MESSAGE = "commercelayer external";
export const logExternalAsJson: ExternalLogger = /* @__PURE__ */ jsonLogger(EXTERNAL_LOG_MESSAGE);
