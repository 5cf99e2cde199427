// BENCHMARKS.md is shared by several benchmarks: each one replaces only its own `## ` section (or appends it), with
// its tables in one format, which also reads as it is on a terminal.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const BENCHMARKS_FILE = fileURLToPath(new URL("../../BENCHMARKS.md", import.meta.url));

/** A Markdown table, padded so that it also reads as it is on a terminal. */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells: readonly (string | number)[]) =>
    `| ${cells.map((cell, column) => String(cell).padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [line(headers), `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** Replaces the section that starts with `heading` (a `## ` line) up to the next `## ` heading, or appends it. */
export function writeBenchmarksSection(heading: string, section: string, path = BENCHMARKS_FILE): void {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    text = "# Benchmarks\n";
  }
  const content = `${heading}\n\n${section.trim()}\n`;
  const start = text.indexOf(`${heading}\n`);
  if (start < 0) {
    text = `${text.trimEnd()}\n\n${content}`;
  } else {
    const next = text.indexOf("\n## ", start + heading.length);
    text = `${text.slice(0, start)}${content}${next < 0 ? "" : `\n${text.slice(next + 1)}`}`;
  }
  writeFileSync(path, text);
}
