// The built bundles, imported as a platform imports them: those built from the suites' own handlers
// (test/fixtures/handlers.ts) into .test-build/ by test/setup/fixture-bundles.ts before any suite runs.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const FIXTURE_HANDLERS = join(ROOT, "test/fixtures/handlers.ts");

/** The suites' external-resource handlers (all ten kinds), in place of functions/external.ts. */
export const FIXTURE_EXTERNAL_HANDLERS = join(ROOT, "test/fixtures/external-handlers.ts");

/** Names the folder this run's fixture build is in (`<it>/dist/...`, `<it>/.vercel/output`), set by the setup. */
export const FIXTURE_BUILD_ENV = "COMMERCELAYER_TEST_BUILD";

export function fixtureBuild(): string {
  const folder = process.env[FIXTURE_BUILD_ENV];
  if (folder === undefined)
    throw new Error(`${FIXTURE_BUILD_ENV} is not set: run the suites with vitest (its setup builds them)`);
  return folder;
}

/** A bundle of the fixture build, by its path under the repository (`dist/vercel/commercelayer-webhook.mjs`). */
export function fixtureBundlePath(relativePath: string): string {
  return join(fixtureBuild(), relativePath);
}

export async function importBundle<T = Record<string, unknown>>(relativePath: string): Promise<T> {
  const path = fixtureBundlePath(relativePath);
  if (!existsSync(path)) throw new Error(`${path} is missing: the suites' global setup builds it`);
  return (await import(pathToFileURL(path).href)) as T;
}
