// Builds the edge benchmark's scripts into .test-build/bench/edge/, next to a copy of the edge factory the benchmark
// bundles were built with: the module runtimes import that file as it ships (factory.mjs); only the edge VM, which
// runs classic scripts, gets it bundled into its script.
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, build, type Plugin } from "esbuild";
import { BENCH_ROOT } from "../bench-build.ts";

export const EDGE_BENCH_DIR = join(BENCH_ROOT, "edge");
const BUILT_FACTORY = join(BENCH_ROOT, "dist/factories/edge/commercelayer-webhook-factory.mjs");
const here = fileURLToPath(new URL(".", import.meta.url));

/** The scripts import the factory's source for its types; the build points them at the built file instead. */
function builtFactory(external: boolean): Plugin {
  return {
    name: "built-edge-factory",
    setup(context) {
      context.onResolve({ filter: /\/src\/platforms\/edge\/factory\.ts$/ }, () =>
        external ? { path: "./factory.mjs", external: true } : { path: BUILT_FACTORY },
      );
    },
  };
}

export async function buildEdgeBench(): Promise<void> {
  mkdirSync(EDGE_BENCH_DIR, { recursive: true });
  copyFileSync(BUILT_FACTORY, join(EDGE_BENCH_DIR, "factory.mjs"));
  const script = (name: string, outfile: string, options: BuildOptions) =>
    build({
      absWorkingDir: here,
      entryPoints: [join(here, `${name}.ts`)],
      outfile: join(EDGE_BENCH_DIR, outfile),
      bundle: true,
      charset: "utf8",
      logLevel: "warning",
      ...options,
    });
  // The in-runtime scripts run on Web APIs only; the hosts are Node programs.
  const web = { platform: "neutral", target: "es2022" } as const;
  await Promise.all([
    script("in-process", "in-process.mjs", { ...web, format: "esm", plugins: [builtFactory(true)] }),
    script("in-workerd", "in-workerd.mjs", { ...web, format: "esm", plugins: [builtFactory(true)] }),
    script("in-vm", "in-vm.js", { ...web, format: "iife", plugins: [builtFactory(false)] }),
    script("host-edge-runtime", "host-edge-runtime.mjs", { platform: "node", target: "node20", format: "esm" }),
    script("host-workerd", "host-workerd.mjs", { platform: "node", target: "node20", format: "esm" }),
  ]);
}
