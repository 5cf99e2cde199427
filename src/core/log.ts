// One structured line per delivery (and one more, earlier, for a delivery whose handlers run past the budget). It never
// holds the secret, the signature or payload values: only the topic, the resource id, what happened and why.

/** `at_risk` is not a final outcome: it is logged while the handlers are still running, before the final line. */
export type DeliveryOutcome = "handled" | "ignored" | "duplicate" | "rejected" | "failed" | "at_risk";

export interface DeliveryLogEntry {
  readonly platform?: string;
  readonly topic?: string;
  readonly id?: string;
  readonly outcome: DeliveryOutcome;
  /** The status answered; absent only on `at_risk` lines, logged before there is an answer. */
  readonly status?: number;
  readonly ms: number;
  /** On the final line: the handlers ran past the budget (see `at_risk`), so Commerce Layer may have timed out. */
  readonly slow?: boolean;
  /** Why a delivery was rejected or failed, as a short code (`invalid_signature`, `handler_failed`, ...): see result.ts. */
  readonly reason?: string;
  /** A hint for the operator, where one helps (configuration errors). */
  readonly hint?: string;
  /** `Name: message` of each failed handler's error (no stack). */
  readonly errors?: readonly string[];
}

export type DeliveryLogger = (entry: DeliveryLogEntry) => void;

/** JSON on stdout: CloudWatch, Vercel and Netlify all index it as one structured record. */
export const logDeliveryAsJson: DeliveryLogger = (entry) => {
  const { outcome } = entry;
  const level =
    outcome === "failed" || (entry.status ?? 0) >= 500
      ? "error"
      : outcome === "rejected" || outcome === "at_risk" || entry.slow
        ? "warn"
        : "info";
  console.log(JSON.stringify({ level, msg: "commercelayer webhook", ...entry }));
};

const MAX_ERROR_TEXT = 200;

/** `Name: message`, clipped, without the stack. */
export function describeError(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : `thrown ${typeof error}`).slice(
    0,
    MAX_ERROR_TEXT,
  );
}
