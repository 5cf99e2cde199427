// Imports a user's TypeScript module afresh, as it is on disk now: bundled with esbuild (its own imports included)
// and imported from a data: URL. ESM caches modules by URL, so `npm start`'s rebuilds and the build's look at
// functions/external.ts see each edit, and nothing is written anywhere.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { build } from "esbuild";

/** Evaluates `entry` (TypeScript source whose imports resolve from `root`) and returns its exports. */
export async function importFresh(entry: string, root: string): Promise<Record<string, unknown>> {
  const result = await build({
    stdin: { contents: entry, resolveDir: root, sourcefile: "fresh-import-entry.ts", loader: "ts" },
    absWorkingDir: root,
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "silent",
    // CommonJS packages bundled into ESM call require(); a data: URL has no path to resolve it from. The UUID makes
    // each import a new URL.
    banner: {
      js: `import { createRequire as __createRequire } from "node:module"; const require = __createRequire(${JSON.stringify(join(root, "package.json"))}); // ${randomUUID()}`,
    },
  });
  const code = result.outputFiles[0]?.text ?? "";
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`)) as Record<
    string,
    unknown
  >;
}
