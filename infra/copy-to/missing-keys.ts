// A re-run never touches a file the user owns, so a topic (or kind) asked for that the file does not have is not
// added, nor the wiring of --deferred or --deduplicate: this tells which, and gives the lines to paste.
import type { UserFile } from "./user-file.ts";

/** The keys of `file` that `current` (the file as it is on disk) has no entry for, quoted in any style. */
export function missingKeys(file: UserFile, current: string): string[] {
  return (file.keys?.names ?? []).filter((name) => {
    const quoted = name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    return !new RegExp(`(["'\`])${quoted}\\1\\s*:`).test(current);
  });
}

/** The report: one line saying what was not added and how to add it, then the lines to paste. */
export function missingKeysReport(file: UserFile, missing: readonly string[]): string[] {
  if (missing.length === 0 || file.keys === undefined) return [];
  const define = file.map?.define ?? "the handler map";
  return [
    `not added: ${file.keys.what} ${missing.join(", ")}: ${file.path} is yours and was left as it is; paste into its ${define}({ ... }):`,
    ...missing.flatMap((name) => file.keys?.stub(name) ?? []),
  ];
}

/** The options whose wiring `current` lacks: one line saying so and how to wire it, then the lines. */
export function missingWiringReport(file: UserFile, current: string): string[] {
  return (file.wiring ?? [])
    .filter(({ marker }) => !current.includes(marker))
    .flatMap(({ option, how, lines }) => [
      `not wired: ${option}: ${file.path} is yours and was left as it is; ${how}`,
      ...lines.map((line) => `  ${line}`),
    ]);
}
