// Everything the page shows of one selected entry: its summary, the request's headers (signature shortened,
// credentials hidden), the body and the answer as body-view.ts shows them, the log lines, and where Replay can send
// it. Never the stored headers or bytes themselves: those stay in the history, for Replay and the byte-exact download.
import { type BodyView, bodyView } from "./body-view.ts";
import type { Entry, EntrySummary, LogLine } from "./entry.ts";
import { type HeaderLine, shownHeaders, shownValue } from "./headers-view.ts";

export interface EntryDetail {
  readonly summary: EntrySummary;
  readonly target: string;
  readonly headers: readonly HeaderLine[];
  readonly body: BodyView;
  readonly answer:
    | { readonly status: number; readonly headers: readonly HeaderLine[]; readonly body: BodyView }
    | undefined;
  readonly logs: readonly LogLine[];
  /** Log lines past the history's limit per entry, counted but not kept. */
  readonly droppedLines: number;
  /** The platforms Replay can send it to (its own first); none when the stored body is not all of it. */
  readonly replayTo: readonly string[];
}

export function detailOf(entry: Entry, summary: EntrySummary, replayPlatforms: readonly string[]): EntryDetail {
  const answer = entry.answer;
  return {
    summary,
    target: entry.target,
    headers: shownHeaders(entry.rawHeaders),
    body: bodyView(entry.body, entry.bytes),
    answer:
      answer === undefined
        ? undefined
        : {
            status: answer.status,
            headers: Object.entries(answer.headers).map(([name, value]) => ({ name, value: shownValue(name, value) })),
            body: bodyView(answer.body, answer.bytes),
          },
    logs: entry.logs,
    droppedLines: entry.droppedLines,
    replayTo: entry.body.length === entry.bytes ? replayPlatforms : [],
  };
}
