// A copy of the files git would push (tracked, and not ignored yet: a working tree not committed yet), for the suites
// that run a platform's own build on the repository (`vercel build`, `netlify build`). In the copy, functions/handlers.ts
// and functions/external.ts re-export the suites' own handlers (test/fixtures/handlers.ts, external-handlers.ts: every
// external kind): what the platform builds and packages is then the template with handlers the suites know, whatever
// the user wrote in functions/.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const FIXTURE_HANDLERS_REEXPORT = `// Written by the emulator suites (test/emulators/repository-copy.ts): this copy builds the suites' own handlers.
export { handlers, options } from "../test/fixtures/handlers.ts";
`;

export const FIXTURE_EXTERNAL_HANDLERS_REEXPORT = `// Written by the emulator suites (test/emulators/repository-copy.ts): this copy builds the suites' own handlers.
export { externalHandlers } from "../test/fixtures/external-handlers.ts";
`;

/**
 * Copies the repository into `into` (never node_modules: with `linkNodeModules` the copy gets a symlink to the
 * repository's, for a build that does not install; `npm ci` would empty the real one through it).
 */
export function copyRepository(into: string, options: { linkNodeModules: boolean }): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\0")
    .filter((file) => file !== "" && !file.split("/").includes("node_modules") && existsSync(join(ROOT, file)));
  for (const file of files) {
    mkdirSync(dirname(join(into, file)), { recursive: true });
    cpSync(join(ROOT, file), join(into, file));
  }
  writeFileSync(join(into, "functions/handlers.ts"), FIXTURE_HANDLERS_REEXPORT);
  writeFileSync(join(into, "functions/external.ts"), FIXTURE_EXTERNAL_HANDLERS_REEXPORT);
  if (options.linkNodeModules) symlinkSync(join(ROOT, "node_modules"), join(into, "node_modules"), "dir");
}
