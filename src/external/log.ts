// One structured line per external-resource call: the kind, the resource id, what happened, the status and the
// milliseconds. Never the secret, the signature or payload values (a handler's thrown message is its own).

export type ExternalOutcome = "answered" | "refused" | "rejected" | "failed" | "at_risk";

export interface ExternalLogEntry {
  readonly platform?: string;
  readonly kind?: string;
  readonly id?: string;
  /** answered: the handler's result was sent; refused: its failure was; rejected/failed: as for webhooks. */
  readonly outcome: ExternalOutcome;
  readonly status?: number;
  readonly ms: number;
  readonly slow?: boolean;
  /** A short code: the rejection's reason, the handler's failure code, `handler_failed`, ... */
  readonly reason?: string;
  readonly hint?: string;
  readonly errors?: readonly string[];
}

export type ExternalLogger = (entry: ExternalLogEntry) => void;

export const EXTERNAL_LOG_MESSAGE = "commercelayer external";

export const logExternalAsJson: ExternalLogger = (entry) => {
  const level =
    entry.outcome === "failed" || (entry.status ?? 0) >= 500
      ? "error"
      : entry.outcome === "rejected" || entry.outcome === "at_risk" || entry.slow
        ? "warn"
        : "info";
  console.log(JSON.stringify({ level, msg: EXTERNAL_LOG_MESSAGE, ...entry }));
};
