// One request the local receiver got, as the console keeps it: what arrived (whole, for Replay), the answer, the log
// lines written while it was handled and by its deferred run, and the summary the list shows. The summary's outcome,
// reason, hint and ms come from the receiving bundle's own JSON line (the one `npm start` prints readably); an answer
// with no such line (a bundle that threw, Vercel's 405) is summarised from the status and body alone.
import { EXTERNAL_LOG_MESSAGE } from "../../../shared/core/log.ts";

export type EntryKind = "webhook" | "external";

/** Who sent it: a sender from outside (`npm run send`, Commerce Layer, curl), or the console's Replay or Send. */
export type EntryOrigin = "sender" | "replay" | "send";

/** The fields of a receiver's JSON line (`msg: "commercelayer webhook"` or `"commercelayer external"`). */
export interface ReceiverLine {
  readonly platform?: string;
  readonly topic?: string;
  readonly kind?: string;
  readonly id?: string;
  readonly outcome?: string;
  readonly status?: number;
  readonly ms?: number;
  readonly reason?: string;
  readonly hint?: string;
  readonly errors?: readonly string[];
  readonly slow?: boolean;
}

export interface LogLine {
  /** Milliseconds after the request arrived. */
  readonly at: number;
  readonly stream: "log" | "warn" | "error";
  readonly text: string;
  /** Written by a deferred run from the platform's queue or background function, after the answer. */
  readonly deferred: boolean;
}

export interface StoredAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly bytes: number;
}

/** What arrived, as the server read it: what Replay sends again. */
export interface Arrival {
  readonly method: string;
  /** Path and query as requested: what Replay sends to. */
  readonly target: string;
  /** The platform's path (no query), as the list shows it. */
  readonly path: string;
  /** The platform whose bundle served it: vercel, aws-lambda, netlify. */
  readonly platform: string;
  readonly kind: EntryKind;
  /** The topic header of a webhook, or the external kind the path names: known before any line is logged. */
  readonly subject: string | undefined;
  readonly rawHeaders: readonly string[];
  readonly signature: string | undefined;
  /** The body as stored: all of it, unless it was over the history's limit (then its first bytes). */
  readonly body: Buffer;
  readonly origin: EntryOrigin;
  readonly replayOf: number | undefined;
}

export interface Entry extends Arrival {
  readonly id: number;
  readonly receivedAt: number;
  /** Bytes that arrived. */
  readonly bytes: number;
  answer: StoredAnswer | undefined;
  /** Measured here, from the arrival to the answer. */
  answeredMs: number | undefined;
  /** The bundle threw (the receiver answered 500 local_receiver_error). */
  crashed: boolean;
  readonly logs: LogLine[];
  droppedLines: number;
  /** The receiving bundle's final line. */
  main: ReceiverLine | undefined;
  /** The last line of a deferred run (Vercel's waitUntil, the SQS worker, Netlify's background function). */
  deferredRun: ReceiverLine | undefined;
  /** A deferred run has been attributed to it (history.ts: deferredOwner). */
  deferredClaimed: boolean;
}

/** What the list shows of an entry, and what the page filters on. */
export interface EntrySummary {
  readonly id: number;
  readonly receivedAt: string;
  readonly method: string;
  readonly path: string;
  readonly platform: string;
  readonly kind: EntryKind;
  /** The topic, or the external kind. */
  readonly subject: string | undefined;
  readonly resourceId: string | undefined;
  readonly outcome: string | undefined;
  readonly status: number | undefined;
  readonly reason: string | undefined;
  readonly hint: string | undefined;
  readonly errors: readonly string[] | undefined;
  readonly ms: number | undefined;
  readonly bytes: number;
  readonly origin: EntryOrigin;
  readonly replayOf: number | undefined;
  readonly deferred: { readonly platform?: string; readonly outcome?: string; readonly reason?: string } | undefined;
  readonly lines: number;
}

const RECEIVER_MESSAGES = new Set(["commercelayer webhook", EXTERNAL_LOG_MESSAGE]);

/** The receiver's line in a logged text, or undefined for any other line. */
export function parseReceiverLine(text: string): ReceiverLine | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(text) as ReceiverLine & { msg?: unknown };
    return typeof parsed === "object" && parsed !== null && RECEIVER_MESSAGES.has(String(parsed.msg))
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Records a receiver line: the receiving bundle's (its platform label is the entry's, outside a deferred run) is the
 * entry's summary, the last one with a status winning over an earlier `at_risk`; any other is a deferred run's
 * (Vercel's waitUntil logs as `vercel-wait-until` in the request's own context).
 */
export function applyReceiverLine(entry: Entry, line: ReceiverLine, deferred: boolean): void {
  if (!deferred && line.platform === entry.platform) {
    if (line.status !== undefined || entry.main === undefined) entry.main = line;
  } else entry.deferredRun = line;
}

/** The answer's own body, `{"received":true,"outcome":...}` or `{"error":...}`, when no receiver line says more. */
function fromAnswer(entry: Entry): Pick<EntrySummary, "outcome" | "reason"> {
  if (entry.crashed) return { outcome: "failed", reason: "local_receiver_error" };
  const answer = entry.answer;
  if (answer === undefined) return { outcome: undefined, reason: undefined };
  try {
    const document = JSON.parse(answer.body.toString("utf8")) as { outcome?: unknown; error?: unknown };
    if (typeof document.outcome === "string") return { outcome: document.outcome, reason: undefined };
    if (typeof document.error === "string")
      return { outcome: answer.status >= 500 ? "failed" : "rejected", reason: document.error };
  } catch {
    // Not the receiver's JSON (a 405 from the platform, an external resource's document).
  }
  if (answer.status >= 500) return { outcome: "failed", reason: undefined };
  if (answer.status >= 400) return { outcome: "rejected", reason: undefined };
  return { outcome: undefined, reason: undefined };
}

export function summaryOf(entry: Entry): EntrySummary {
  const main = entry.main;
  const fallback = fromAnswer(entry);
  const run = entry.deferredRun;
  return {
    id: entry.id,
    receivedAt: new Date(entry.receivedAt).toISOString(),
    method: entry.method,
    path: entry.path,
    platform: entry.platform,
    kind: entry.kind,
    subject: main?.topic ?? main?.kind ?? entry.subject,
    resourceId: main?.id,
    outcome: main?.outcome ?? fallback.outcome,
    status: entry.answer?.status ?? main?.status,
    reason: main?.reason ?? fallback.reason,
    hint: main?.hint,
    errors: main?.errors,
    ms: main?.ms ?? entry.answeredMs,
    bytes: entry.bytes,
    origin: entry.origin,
    replayOf: entry.replayOf,
    deferred:
      run === undefined
        ? undefined
        : {
            ...(run.platform === undefined ? {} : { platform: run.platform }),
            ...(run.outcome === undefined ? {} : { outcome: run.outcome }),
            ...(run.reason === undefined ? {} : { reason: run.reason }),
          },
    lines: entry.logs.length,
  };
}
