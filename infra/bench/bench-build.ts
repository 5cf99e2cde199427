// The bundles the benchmarks drive: every entry point built from infra/bench/bench-handlers.ts (the external ones
// from bench-external-handlers.ts) into .test-build/bench/ (dist/ stays built from the user's handlers).
import { join } from "node:path";
import { buildBundles, ROOT } from "../build/build.ts";

export const BENCH_HANDLERS = "infra/bench/bench-handlers.ts";
export const BENCH_EXTERNAL_HANDLERS = "infra/bench/bench-external-handlers.ts";
/** Where the benchmarks' bundles are: `<it>dist/...`. Ends with a slash, like a folder URL. */
export const BENCH_ROOT = `${join(ROOT, ".test-build", "bench")}/`;

export async function buildBenchBundles(): Promise<void> {
  await buildBundles({
    declarations: false,
    handlersFile: BENCH_HANDLERS,
    externalHandlersFile: BENCH_EXTERNAL_HANDLERS,
    outRoot: BENCH_ROOT,
  });
}
