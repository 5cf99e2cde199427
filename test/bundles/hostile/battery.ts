// Runs generated hostile cases through one entry point and keeps the score: statuses, forged deliveries that reached a
// handler, leaks, uncaught exceptions, answers that break the contract. The suites assert on the score and print it.
import { vi } from "vitest";
import {
  BATTERY_SECRET,
  CONTRACT_STATUSES,
  expectedStatus,
  type HostileCase,
  isAuthentic,
  type PipelineSide,
  SIGNATURE,
} from "./cases.ts";
import type { EntryPoint } from "./entry-points.ts";

export interface Score {
  readonly entryPoint: string;
  cases: number;
  readonly statuses: Map<number, number>;
  forged: number;
  /** Forged deliveries (body and signature not produced together by signPayload) that reached a handler. */
  forgedAccepted: number;
  /** Authentic deliveries answered `handled` (their handlers ran, exactly once). */
  genuineHandled: number;
  /** Genuine deliveries replayed under another resource's topic, and how many were refused with 400. */
  replayOtherResource: number;
  replayOtherResourceRefused: number;
  /** Genuine deliveries replayed under another topic of the same resource: accepted by design (the topic is unsigned). */
  replaySibling: number;
  replaySiblingAccepted: number;
  /** Answers outside the contract's status codes. */
  outsideContract: number;
  /** Answers other than the one the contract prescribes for that request, or a handler run count that disagrees. */
  mismatches: number;
  uncaught: number;
  leaks: number;
  /** Node over HTTP: oversize requests whose connection was dropped after the 413 (before the client read it). */
  dropped: number;
  ms: number;
  readonly examples: string[];
}

export interface BatteryOptions {
  readonly maxBodyBytes: number;
  /** Switches the receiver's secret off for `no secret configured` cases, on for the others. */
  readonly configure: (configured: boolean) => void;
  /** How many times a handler ran since the last reset: a counting `*` handler, or the example handlers' log lines. */
  readonly handlerRuns: () => number;
  /**
   * Every delivery answered `handled` ran exactly one counted handler (a counting `*` handler that never fails).
   * Otherwise (the example handlers of the deployable bundles, which log only some topics) it ran at most one, and an
   * authentic delivery may also get a 500 from a handler that failed on it (an orders.destroy body replayed as
   * orders.place has no attributes). Any other answer, 200s that ran nothing included (a duplicate a receiver
   * recognised, say), must have run no handler.
   */
  readonly everyDeliveryHasAHandler: boolean;
  readonly resetHandlerRuns: () => void;
  /** Every line the receiver (and the handlers) wrote to the console, in order. */
  readonly lines: string[];
  /** Lines to leave out of the leak check: the example handlers' own lines. */
  readonly ownLine?: (line: string) => boolean;
  /** The side of the pipeline the entry point serves. Default: webhooks. */
  readonly side?: PipelineSide;
}

/**
 * Whether an answer says the handlers ran and succeeded: a webhook's `{"outcome":"handled"}`, an external resource's
 * `{"success":true}` document.
 */
function ranHandlers(body: string, side: PipelineSide): boolean {
  try {
    const parsed = JSON.parse(body) as { outcome?: string; success?: boolean };
    return side === "external" ? parsed.success === true : parsed.outcome === "handled";
  } catch {
    return false;
  }
}

function note(score: Score, text: string): void {
  if (score.examples.length < 10) score.examples.push(text);
}

/** The strings no answer and no receiver log line may contain. */
function sensitive(hostile: HostileCase): string[] {
  const signatures = hostile.headers
    .filter(([name]) => name.toLowerCase() === SIGNATURE)
    .flatMap(([, value]) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value.length >= 12);
  return [BATTERY_SECRET, ...signatures, ...hostile.planted];
}

export async function runBattery(
  entryPoint: EntryPoint,
  cases: readonly HostileCase[],
  options: BatteryOptions,
): Promise<Score> {
  const score: Score = {
    entryPoint: entryPoint.name,
    cases: 0,
    statuses: new Map(),
    forged: 0,
    forgedAccepted: 0,
    genuineHandled: 0,
    replayOtherResource: 0,
    replayOtherResourceRefused: 0,
    replaySibling: 0,
    replaySiblingAccepted: 0,
    outsideContract: 0,
    mismatches: 0,
    uncaught: 0,
    leaks: 0,
    dropped: 0,
    ms: 0,
    examples: [],
  };
  const started = performance.now();
  for (const hostile of cases) {
    score.cases++;
    options.configure(!hostile.unconfigured);
    options.resetHandlerRuns();
    const firstLine = options.lines.length;
    let sent: Awaited<ReturnType<EntryPoint["send"]>>;
    try {
      sent = await entryPoint.send(hostile);
    } catch (error) {
      score.uncaught++;
      note(score, `#${hostile.index} ${hostile.kind}: threw ${(error as Error).name}: ${(error as Error).message}`);
      continue;
    }
    const { delivered, answer } = sent;
    const runs = options.handlerRuns();
    const side = options.side ?? "webhook";
    const expected = expectedStatus(hostile, delivered, options.maxBodyBytes, side);
    const status = answer.dropped && expected === 413 ? 413 : answer.status;
    const handlerFailed = status === 500 && answer.body.includes('"handler_failed"');
    const asExpected = status === expected || (!options.everyDeliveryHasAHandler && expected === 200 && handlerFailed);
    if (answer.dropped) score.dropped++;
    score.statuses.set(status, (score.statuses.get(status) ?? 0) + 1);

    const authentic = isAuthentic(delivered.received, delivered.signatureValues);
    if (!authentic) {
      score.forged++;
      if (runs > 0 || status === 200) {
        score.forgedAccepted++;
        note(score, `#${hostile.index} ${hostile.kind}: FORGED delivery reached a handler (status ${status})`);
      }
    }
    if (!CONTRACT_STATUSES.has(status)) {
      score.outsideContract++;
      note(score, `#${hostile.index} ${hostile.kind}: status ${status} is not in the contract`);
    }
    const handled = status === 200 && ranHandlers(answer.body, side);
    const runsAsExpected = options.everyDeliveryHasAHandler ? runs === (handled ? 1 : 0) : runs <= (handled ? 1 : 0);
    if (!asExpected || !runsAsExpected) {
      score.mismatches++;
      note(
        score,
        `#${hostile.index} ${hostile.kind} ${delivered.method}: status ${status}, expected ${expected}, handler runs ${runs}`,
      );
    }
    if (authentic && handled) score.genuineHandled++;
    if (hostile.kind === "replay under another resource's topic" && authentic && expected === 400) {
      score.replayOtherResource++;
      if (status === 400 && runs === 0) score.replayOtherResourceRefused++;
    }
    if (hostile.kind === "replay under a sibling topic" && authentic && expected === 200) {
      score.replaySibling++;
      if (status === 200) score.replaySiblingAccepted++;
    }

    const texts = [answer.body, JSON.stringify(answer.headers)];
    for (const line of options.lines.slice(firstLine)) if (!options.ownLine?.(line)) texts.push(line);
    const needles = sensitive(hostile);
    for (const text of texts) {
      const leaked = needles.find((needle) => text.includes(needle));
      if (leaked !== undefined || /\n\s+at /.test(text)) {
        score.leaks++;
        note(
          score,
          `#${hostile.index} ${hostile.kind}: leak of ${leaked === undefined ? "a stack trace" : `"${leaked.slice(0, 12)}…"`}`,
        );
      }
    }
    if (options.lines.length > 10_000) options.lines.length = 0;
  }
  score.ms = Math.round(performance.now() - started);
  return score;
}

/** Console spies that keep every line, so the leak check sees what a platform's log would. */
export function captureConsole(lines: string[]): void {
  const keep = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  for (const method of ["log", "info", "warn", "error", "debug"] as const)
    vi.spyOn(console, method).mockImplementation(keep);
}

export function printScores(title: string, scores: readonly Score[]): void {
  const header = [
    "entry point",
    "cases",
    "statuses seen",
    "forged",
    "forged accepted",
    "genuine handled",
    "other-resource replays refused",
    "sibling replays accepted",
    "off-contract",
    "mismatches",
    "uncaught",
    "leaks",
    "ms",
  ];
  const rows = scores.map((score) => [
    score.entryPoint,
    String(score.cases),
    [...score.statuses]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status}×${count}`)
      .join(" "),
    String(score.forged),
    String(score.forgedAccepted),
    String(score.genuineHandled),
    `${score.replayOtherResourceRefused}/${score.replayOtherResource}`,
    `${score.replaySiblingAccepted}/${score.replaySibling}`,
    String(score.outsideContract),
    String(score.mismatches),
    String(score.uncaught),
    String(score.leaks),
    String(score.ms),
  ]);
  const widths = header.map((name, column) => Math.max(name.length, ...rows.map((row) => (row[column] ?? "").length)));
  const format = (row: readonly string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ");
  const total = scores.reduce((sum, score) => sum + score.cases, 0);
  console.info(
    [
      `\n${title}: ${total} cases`,
      format(header),
      widths.map((width) => "-".repeat(width)).join("-|-"),
      ...rows.map(format),
    ]
      .concat(scores.flatMap((score) => score.examples.map((example) => `  ${score.entryPoint}: ${example}`)))
      .join("\n"),
  );
}
