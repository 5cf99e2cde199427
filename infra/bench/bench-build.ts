// The bundles the benchmarks drive: every entry point built from infra/bench/bench-handlers.ts (the external ones
// from bench-external-handlers.ts) into .test-build/bench/ (dist/ stays built from the user's handlers).
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
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

// `npm run bench:build`: only the build, for another checkout that `npm run bench:compare` measures against.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await buildBenchBundles();
  console.log(`built the benchmarks' bundles into ${BENCH_ROOT}`);
}
