// Vitest global setup: builds every bundle from the suites' own handlers (test/fixtures/handlers.ts) into a folder of
// this run's own under .test-build/, once per run, and removes it afterwards. The suites drive those bundles; dist/
// (built from functions/handlers.ts) stays the user's, so `npm test` passes whatever the user's handlers are.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { buildBundles } from "../../infra/build/build.ts";
import { FIXTURE_BUILD_ENV, FIXTURE_EXTERNAL_HANDLERS, FIXTURE_HANDLERS, ROOT } from "../support/bundles.ts";

export default async function setup(): Promise<() => void> {
  // A run started by a test of this run (test/infra/quiet-output.test.ts runs vitest on files of its own) inherits
  // the folder through its environment: it uses those bundles as they are and leaves the folder to the run that made it.
  const inherited = process.env[FIXTURE_BUILD_ENV];
  if (inherited !== undefined && existsSync(inherited)) return () => {};
  mkdirSync(join(ROOT, ".test-build"), { recursive: true });
  // Its own folder: two runs at once (a watch run and a CI run) never read each other's half-written bundles.
  const outRoot = mkdtempSync(join(ROOT, ".test-build", "run-"));
  await buildBundles({
    declarations: false,
    handlersFile: FIXTURE_HANDLERS,
    externalHandlersFile: FIXTURE_EXTERNAL_HANDLERS,
    outRoot,
  });
  // The test workers start after this and inherit the environment.
  process.env[FIXTURE_BUILD_ENV] = outRoot;
  return () => rmSync(outRoot, { recursive: true, force: true });
}
