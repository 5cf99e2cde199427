// A file the command writes once and leaves to the user (a handler file, a worker, a route for external resources):
// its imports, a handler map of typed stubs, its exports, in the project's module syntax. Re-running the command never
// rewrites it; missing-keys.ts tells what a re-run would have added.
import { exportLine, type Import, importLine, type ModuleSystem } from "./module-system.ts";

export interface HandlerMap {
  /** `defineWebhookHandlers` or `defineExternalHandlers`. */
  readonly define: string;
  /** Exported (a map other files import), or a const of this file. */
  readonly exported: boolean;
  /** One stub per key, each a list of lines, indented as the map's entries. */
  readonly stubs: readonly (readonly string[])[];
}

export interface UserFile {
  readonly path: string;
  readonly syntax: ModuleSystem;
  /** Comment lines at the top (without the `// `). */
  readonly header: readonly string[];
  readonly imports: readonly Import[];
  /** Lines before the map (Next.js's route segment config). */
  readonly preamble?: readonly string[];
  readonly map?: HandlerMap;
  /** Lines between the map and the exports (a deduplication store). */
  readonly body?: readonly string[];
  readonly exports: readonly { readonly name: string; readonly value: string; readonly comment?: string }[];
  /** Lines after the exports (Netlify's path config). */
  readonly postscript?: readonly string[];
  /** What the map holds, for a re-run's report of what it did not add: the keys and a stub for each. */
  readonly keys?: {
    readonly what: string;
    readonly names: readonly string[];
    readonly stub: (name: string) => string[];
  };
  /** What an option wires into the file, for a re-run's report when the file it keeps lacks it. */
  readonly wiring?: readonly Wiring[];
}

export interface Wiring {
  /** The option, as typed: `--deferred`, `--deduplicate memory`. */
  readonly option: string;
  /** Text the file has when it is wired (`withHandOff(`, `deduplicate`). */
  readonly marker: string;
  /** What to do, ending in a colon: the lines follow. */
  readonly how: string;
  readonly lines: readonly string[];
}

/** The top of a file written for the user: what it is, where it came from, and that it is theirs. */
export function yoursHeader(what: string, origin: string, libDir: string): string[] {
  return [
    `${what}: written once by \`npm run copy-to\``,
    `(${origin}). This file is yours: re-running the command updates the files in ${libDir}/,`,
    "never this file.",
  ];
}

const block = (lines: readonly string[] | undefined) =>
  lines === undefined || lines.length === 0 ? [] : [...lines, ""];

export function renderUserFile(file: UserFile): string {
  const map = file.map;
  const mapLines =
    map === undefined
      ? []
      : [
          map.exported && file.syntax === "esm"
            ? `export const handlers = ${map.define}({`
            : `const handlers = ${map.define}({`,
          ...map.stubs.flat(),
          "});",
          ...(map.exported && file.syntax === "cjs" ? ["exports.handlers = handlers;"] : []),
          "",
        ];
  return [
    ...file.header.map((line) => `// ${line}`),
    ...file.imports.map((entry) => importLine(entry, file.syntax)),
    "",
    ...block(file.preamble),
    ...mapLines,
    ...block(file.body),
    ...file.exports.flatMap(({ name, value, comment }) => [
      ...(comment === undefined ? [] : [`// ${comment}`]),
      exportLine(name, value, file.syntax),
    ]),
    ...(file.postscript ?? []),
    "",
  ].join("\n");
}
