// The one script every edge runtime serves: worker-entry.ts bundled by esbuild (platform neutral, ESM), its import of
// the factory's source replaced by the fixture build's dist/factories/edge/commercelayer-webhook-factory.mjs, so each
// runtime runs the file users copy, with the suites' edge handlers.
import { mkdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { build, type Plugin } from "esbuild";
import { FIXTURE_BUILD_ENV, fixtureBuild, fixtureBundlePath, ROOT } from "../../support/bundles.ts";

export const EDGE_FACTORY = "dist/factories/edge/commercelayer-webhook-factory.mjs";
const ENTRY = join(ROOT, "test/emulators/edge/worker-entry.ts");
const FACTORY_SOURCE = join(ROOT, "functions/factories/edge/commercelayer-webhook-factory.ts");

const builtFactory: Plugin = {
  name: "built-edge-factory",
  setup(plugin) {
    plugin.onResolve({ filter: /\/factories\/edge\/commercelayer-webhook-factory\.ts$/ }, (args) =>
      resolve(args.resolveDir, args.path) === FACTORY_SOURCE ? { path: fixtureBundlePath(EDGE_FACTORY) } : undefined,
    );
  },
};

export interface EdgeWorker {
  readonly path: string;
  /** The files bundled, relative to the repository (the fixture build's folder written `$COMMERCELAYER_TEST_BUILD`). */
  readonly inputs: string[];
}

export async function bundleEdgeWorker(): Promise<EdgeWorker> {
  const folder = join(fixtureBuild(), "edge-worker");
  mkdirSync(folder, { recursive: true });
  const path = join(folder, "worker.mjs");
  const result = await build({
    entryPoints: [ENTRY],
    outfile: path,
    bundle: true,
    platform: "neutral",
    format: "esm",
    target: "es2022",
    metafile: true,
    logLevel: "silent",
    plugins: [builtFactory],
  });
  const inputs = Object.keys(result.metafile.inputs).map((input) => {
    const absolute = resolve(input);
    const build = relative(fixtureBuild(), absolute);
    return build.startsWith("..") ? relative(ROOT, absolute) : `$${FIXTURE_BUILD_ENV}/${build}`;
  });
  return { path, inputs };
}
