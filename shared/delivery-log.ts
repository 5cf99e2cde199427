// One structured line per delivery. It never holds the secret, the signature or payload values: only the topic,
// the resource id, what happened and why.

export type DeliveryOutcome = "handled" | "ignored" | "rejected" | "failed";

export interface DeliveryLogEntry {
  readonly platform?: string;
  readonly topic?: string;
  readonly id?: string;
  readonly outcome: DeliveryOutcome;
  readonly status: number;
  readonly ms: number;
  /** Why a delivery was rejected or failed, as a short code (`invalid_signature`, `handler_failed`, ...). */
  readonly reason?: string;
  /** A hint for the operator, for configuration errors. */
  readonly hint?: string;
  /** `Name: message` of each failed handler's error (no stack). */
  readonly errors?: readonly string[];
}

export type DeliveryLogger = (entry: DeliveryLogEntry) => void;

/** JSON on stdout: CloudWatch, Vercel and Netlify all index it as one structured record. */
export const logDeliveryAsJson: DeliveryLogger = (entry) => {
  const level =
    entry.outcome === "failed" || entry.status >= 500 ? "error" : entry.outcome === "rejected" ? "warn" : "info";
  console.log(JSON.stringify({ level, msg: "commercelayer webhook", ...entry }));
};

const MAX_ERROR_TEXT = 200;

/** `Name: message`, clipped, without the stack. */
export function describeError(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name}: ${error.message}`
      : `thrown: ${typeof error === "string" ? error : typeof error}`;
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}
