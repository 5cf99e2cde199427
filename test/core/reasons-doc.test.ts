// docs/reasons.md against the code: every reason result.ts declares has one row, no row names a reason the code does
// not have, and each row's status is the one answer.ts gives (or says why there is no answer).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { statusOf } from "../../shared/core/answer.ts";
import { FAILED_REASONS, REJECTED_REASONS } from "../../shared/core/result.ts";
import { ROOT } from "../support/bundles.ts";

interface Row {
  readonly reason: string;
  readonly outcome: string;
  readonly status: string;
}

function rowsOf(markdown: string): Row[] {
  return markdown
    .split("\n")
    .filter((line) => /^\| `[a-z_]+` \|/.test(line))
    .map((line) => {
      const [reason = "", outcome = "", status = ""] = line
        .split("|")
        .slice(1)
        .map((cell) => cell.trim());
      return { reason: reason.replaceAll("`", ""), outcome, status };
    });
}

const rows = rowsOf(readFileSync(join(ROOT, "docs/reasons.md"), "utf8"));
const declared = [
  ...REJECTED_REASONS.map((reason) => ({ reason, outcome: "rejected" as const })),
  ...FAILED_REASONS.map((reason) => ({ reason, outcome: "failed" as const })),
];

describe("docs/reasons.md", () => {
  it("has one row per reason the code declares, and none other", () => {
    expect(rows.map((row) => row.reason).sort()).toEqual(declared.map((entry) => entry.reason).sort());
    expect(new Set(rows.map((row) => row.reason)).size).toBe(rows.length);
  });

  it.each(declared.map((entry) => [entry.reason, entry] as const))(
    "%s: outcome and status as the code answers",
    (reason, entry) => {
      const row = rows.find((candidate) => candidate.reason === reason);
      expect(row?.outcome).toBe(entry.outcome);
      // Rows without an answer (the connection is gone, a worker's message) say so in parentheses.
      if (row?.status.startsWith("(")) return;
      expect(row?.status).toBe(String(statusOf({ outcome: entry.outcome, reason })));
    },
  );

  it("sees a row that is missing or wrong (the parser reads the table)", () => {
    expect(rowsOf("| `handler_failed` | failed | 500 | x | y |")).toEqual([
      { reason: "handler_failed", outcome: "failed", status: "500" },
    ]);
    expect(rows.length).toBeGreaterThan(15);
  });
});
