// Vercel's Build Output API (v3): when the build command leaves .vercel/output behind, Vercel deploys it as it is,
// so the bundle users read in dist/ is the one that runs, with Vercel's Node helpers switched off.
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ANSWER_TIMEOUT_MS } from "../../shared/core/commerce-layer.ts";
import type { ExternalKind } from "../../shared/external/kinds.ts";
import { deployedExternalPath } from "./external-deploy.ts";

export const VERCEL_ROUTE = "/api/webhooks/commercelayer";
/**
 * Every function's runtime, written into its .vc-config.json: Vercel runs a Build Output function on the runtime named
 * there, whatever Node.js built it (the project's Node.js Version setting and `engines.node` choose only the build's).
 * `npm run deploy:vercel` refuses a value older than nodejs22.x.
 */
export const VERCEL_NODE_RUNTIME = "nodejs22.x";

/** The function's `.vc-config.json`. The runtime is chosen here: `functions.*.runtime` in vercel.json rejects it. */
export const vercelFunctionConfig = {
  runtime: VERCEL_NODE_RUNTIME,
  handler: "index.mjs",
  launcherType: "Nodejs",
  // The handler reads the raw body itself; helpers would buffer and parse it first for nothing.
  shouldAddHelpers: false,
  supportsResponseStreaming: true,
  // Twice Commerce Layer's answer timeout (shared/core/commerce-layer.ts): the extra seconds let the structured log line of a slow delivery get out.
  maxDuration: (2 * ANSWER_TIMEOUT_MS) / 1000,
} as const;

export const vercelOutputConfig = {
  version: 3,
  routes: [{ handle: "filesystem" }],
} as const;

/** A function folder of the output: the bundle as index.mjs, marked ESM, with the function's config. */
function writeFunction(output: string, route: string, bundle: string): void {
  const functionDir = join(output, "functions", `${route.slice(1)}.func`);
  mkdirSync(functionDir, { recursive: true });
  copyFileSync(bundle, join(functionDir, "index.mjs"));
  // The bundle is ESM; the function folder says so for Node.
  writeFileSync(join(functionDir, "package.json"), `${JSON.stringify({ type: "module" }, null, 2)}\n`);
  writeFileSync(join(functionDir, ".vc-config.json"), `${JSON.stringify(vercelFunctionConfig, null, 2)}\n`);
}

/**
 * The webhook function, and the external-resource bundle once per implemented kind, at that kind's path: the path is
 * what names the kind, and a kind nobody implemented has no function (Vercel's own 404).
 */
export function writeVercelOutput(root: string, externalKinds: readonly ExternalKind[] = []): void {
  const bundle = join(root, "dist/vercel/commercelayer-webhook.mjs");
  const externalBundle = join(root, "dist/vercel/commercelayer-external.mjs");
  // Checked before the old output is removed: a missing bundle leaves .vercel/output as it was.
  for (const needed of externalKinds.length > 0 ? [bundle, externalBundle] : [bundle])
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run \`npm run build\` first`);
  const output = join(root, ".vercel/output");
  rmSync(output, { recursive: true, force: true });
  writeFunction(output, VERCEL_ROUTE, bundle);
  for (const kind of externalKinds) writeFunction(output, deployedExternalPath("vercel", kind), externalBundle);
  writeFileSync(join(output, "config.json"), `${JSON.stringify(vercelOutputConfig, null, 2)}\n`);
}
