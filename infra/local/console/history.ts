// The console's memory: the last requests the local receiver got, newest first, bounded twice, by count and by bytes,
// the oldest dropped first, so that a session of hours, or a few bodies at the receiver's 5 MiB limit, cannot grow
// `npm start` without end. Everything the page sees of an entry changes here, and each change is announced to the
// subscribers (the page's event stream).
import type { Answer } from "../../drive/entry-points.ts";
import {
  type Arrival,
  applyReceiverLine,
  type Entry,
  type EntrySummary,
  type LogLine,
  parseReceiverLine,
  summaryOf,
} from "./entry.ts";

export interface HistoryLimits {
  /** Entries kept. */
  readonly entries: number;
  /** Bytes kept over all entries: bodies, answers, log lines. */
  readonly totalBytes: number;
  /** Bytes of one body kept: above the receiver's default limit (5 MiB), so that a body at the limit is kept whole. */
  readonly bodyBytes: number;
  /** Bytes of one answer kept. */
  readonly answerBytes: number;
  /** Log lines kept per entry (the first ones; the rest are counted). */
  readonly linesPerEntry: number;
  /** Characters of one log line kept. */
  readonly lineChars: number;
}

export const HISTORY_LIMITS: HistoryLimits = {
  entries: 200,
  totalBytes: 64 * 1024 * 1024,
  bodyBytes: 8 * 1024 * 1024,
  answerBytes: 1024 * 1024,
  linesPerEntry: 500,
  lineChars: 16 * 1024,
};

export type HistoryChange =
  | { readonly type: "entry"; readonly entry: EntrySummary }
  | { readonly type: "dropped"; readonly id: number };

/** Outcomes after which the receiving function hands nothing off, so no deferred run can be theirs. */
const NEVER_HANDS_OFF = new Set(["rejected", "ignored", "duplicate"]);

export interface History {
  readonly limits: HistoryLimits;
  received(arrival: Arrival): Entry;
  answered(id: number, answer: Answer, ms: number): void;
  /** The bundle threw instead of answering. */
  crashed(id: number, ms: number): void;
  logged(id: number, line: { text: string; stream: LogLine["stream"]; deferred: boolean }): void;
  /**
   * The entry a deferred run (from the SQS queue or Netlify's background function) belongs to, found by what the run
   * carries: the receiving platform and the signature of the exact bytes handed off. Of the entries that match, the
   * newest that has not had a run yet and could have handed off; failing that (SQS delivering a failed run again),
   * the newest.
   */
  deferredOwner(platform: string, signature: string | undefined): number | undefined;
  get(id: number): Entry | undefined;
  /** Newest first. */
  list(): EntrySummary[];
  /** Bytes held now (the count `limits.totalBytes` bounds). */
  bytes(): number;
  subscribe(listener: (change: HistoryChange) => void): () => void;
}

function sizeOf(entry: Entry): number {
  const headers = entry.rawHeaders.reduce((sum, part) => sum + part.length, 0);
  const logs = entry.logs.reduce((sum, line) => sum + line.text.length, 0);
  return entry.body.length + (entry.answer?.body.length ?? 0) + headers + logs;
}

export function createHistory(limits: HistoryLimits = HISTORY_LIMITS, now: () => number = Date.now): History {
  /** Oldest first. */
  const entries: Entry[] = [];
  const byId = new Map<number, Entry>();
  const sizes = new Map<number, number>();
  const listeners = new Set<(change: HistoryChange) => void>();
  let total = 0;
  let nextId = 1;

  const announce = (change: HistoryChange) => {
    for (const listener of listeners) listener(change);
  };
  const resize = (entry: Entry) => {
    const size = sizeOf(entry);
    total += size - (sizes.get(entry.id) ?? 0);
    sizes.set(entry.id, size);
  };
  // The newest entry always stays, whatever its size: it is the one being looked at.
  const dropOldest = () => {
    while (entries.length > 1 && (entries.length > limits.entries || total > limits.totalBytes)) {
      const oldest = entries.shift() as Entry;
      byId.delete(oldest.id);
      total -= sizes.get(oldest.id) ?? 0;
      sizes.delete(oldest.id);
      announce({ type: "dropped", id: oldest.id });
    }
  };
  const changed = (entry: Entry) => {
    resize(entry);
    announce({ type: "entry", entry: summaryOf(entry) });
    dropOldest();
  };

  return {
    limits,
    received(arrival) {
      const { body, ...rest } = arrival;
      const entry: Entry = {
        ...rest,
        id: nextId++,
        receivedAt: now(),
        body: body.length > limits.bodyBytes ? Buffer.from(body.subarray(0, limits.bodyBytes)) : body,
        bytes: body.length,
        answer: undefined,
        answeredMs: undefined,
        crashed: false,
        logs: [],
        droppedLines: 0,
        main: undefined,
        deferredRun: undefined,
        deferredClaimed: false,
      };
      entries.push(entry);
      byId.set(entry.id, entry);
      changed(entry);
      return entry;
    },
    answered(id, answer, ms) {
      const entry = byId.get(id);
      if (entry === undefined) return;
      const body = answer.body.length > limits.answerBytes ? answer.body.subarray(0, limits.answerBytes) : answer.body;
      entry.answer = {
        status: answer.status,
        headers: answer.headers,
        body: Buffer.from(body),
        bytes: answer.body.length,
      };
      entry.answeredMs = Math.round(ms * 100) / 100;
      changed(entry);
    },
    crashed(id, ms) {
      const entry = byId.get(id);
      if (entry === undefined) return;
      entry.crashed = true;
      entry.answeredMs = Math.round(ms * 100) / 100;
      changed(entry);
    },
    logged(id, { text, stream, deferred }) {
      const entry = byId.get(id);
      if (entry === undefined) return;
      const receiverLine = parseReceiverLine(text);
      if (receiverLine !== undefined) applyReceiverLine(entry, receiverLine, deferred);
      if (entry.logs.length >= limits.linesPerEntry) entry.droppedLines += 1;
      else {
        const kept = text.length > limits.lineChars ? `${text.slice(0, limits.lineChars)}… (clipped)` : text;
        entry.logs.push({ at: Math.round((now() - entry.receivedAt) * 10) / 10, stream, text: kept, deferred });
      }
      changed(entry);
    },
    deferredOwner(platform, signature) {
      if (signature === undefined) return undefined;
      const matching = entries.filter((entry) => entry.platform === platform && entry.signature === signature);
      const owner =
        matching.findLast((entry) => !entry.deferredClaimed && !NEVER_HANDS_OFF.has(summaryOf(entry).outcome ?? "")) ??
        matching.at(-1);
      if (owner === undefined) return undefined;
      owner.deferredClaimed = true;
      return owner.id;
    },
    get: (id) => byId.get(id),
    list: () => entries.map(summaryOf).reverse(),
    bytes: () => total,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
export type { Arrival } from "./entry.ts";
