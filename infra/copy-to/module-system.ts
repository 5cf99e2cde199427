// CommonJS or ES modules: what Node makes of a `.js` file in a folder (the nearest package.json's "type", CommonJS
// when there is none or it says "commonjs", as `npm init` writes it), and how a file the command writes imports and
// exports in each. A CommonJS app `require`s what it loads, and Node 20 before 20.19 and 22 before 22.12 cannot
// `require` an ES module: such a project gets CommonJS files (.cjs copies, `require` in its own files).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export type ModuleSystem = "esm" | "cjs";

/** The module system of a `.js` file in `dir`: the nearest package.json's "type", as Node reads it. */
export function moduleSystemAt(dir: string): ModuleSystem {
  for (let current = dir; ; current = dirname(current)) {
    const manifest = join(current, "package.json");
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown }).type === "module" ? "esm" : "cjs";
      } catch {
        // Node refuses to run anything under a package.json it cannot parse; the project's own tools will say so.
        return "cjs";
      }
    }
    if (dirname(current) === current) return "cjs";
  }
}

/** What an extension makes of a file where `.js` is `packageType`. */
function systemOfFile(file: string, packageType: ModuleSystem): ModuleSystem {
  if (/\.m[jt]s$/.test(file)) return "esm";
  if (/\.c[jt]s$/.test(file)) return "cjs";
  return packageType;
}

const ENTRY_NAMES = ["server", "index", "app", "main"];
const ENTRY_EXTENSIONS = [".mjs", ".cjs", ".js"];

/**
 * The module system of a Node server's own code, which decides how it loads what the command writes: its entry file's
 * (package.json "main", else the file its start or dev script runs, else server/index/app/main.{mjs,cjs,js} at the root
 * or in src/), by extension, `.js` as package.json's "type" says. A server.mjs in a package with no "type" is ESM.
 */
export function serverModuleSystem(dir: string, packageType: ModuleSystem): ModuleSystem {
  let manifest: { main?: unknown; scripts?: Record<string, unknown> } = {};
  try {
    manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as typeof manifest;
  } catch {
    // No package.json (a `--as node` folder): the candidates below, or Node's default.
  }
  const scripts = [manifest.scripts?.start, manifest.scripts?.dev].filter((line) => typeof line === "string");
  const named = [
    typeof manifest.main === "string" ? manifest.main : undefined,
    ...scripts.map((line) => /([\w./-]+\.(?:[mc]?js|[mc]?ts))\b/.exec(line as string)?.[1]),
  ];
  const candidates = ["", "src/"].flatMap((folder) =>
    ENTRY_NAMES.flatMap((name) => ENTRY_EXTENSIONS.map((extension) => `${folder}${name}${extension}`)),
  );
  const entry = [...named, ...candidates].find((file) => file !== undefined && existsSync(join(dir, file)));
  return entry === undefined ? packageType : systemOfFile(entry, packageType);
}

export interface Import {
  readonly names: readonly string[];
  readonly from: string;
}

export function importLine({ names, from }: Import, syntax: ModuleSystem): string {
  const list = [...names].sort().join(", ");
  return syntax === "esm"
    ? `import { ${list} } from ${JSON.stringify(from)};`
    : `const { ${list} } = require(${JSON.stringify(from)});`;
}

/** `name` "default" is ES modules only (the shapes that use it are never written as CommonJS). */
export function exportLine(name: string, value: string, syntax: ModuleSystem): string {
  if (name === "default") return `export default ${value};`;
  return syntax === "esm" ? `export const ${name} = ${value};` : `exports.${name} = ${value};`;
}
