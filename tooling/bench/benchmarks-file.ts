// BENCHMARKS.md is shared by several benchmarks: each one replaces only its own `## ` section (or appends it).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const BENCHMARKS_FILE = fileURLToPath(new URL("../../BENCHMARKS.md", import.meta.url));

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
