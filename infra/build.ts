// `npm run build`: bundles each platform entry point into one readable, self-contained ESM file under dist/, with no
// runtime dependency outside Node's standard library, then lays out Vercel's Build Output API in .vercel/output.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateDtsBundle } from "dts-bundle-generator";
import { build } from "esbuild";
import { BUNDLES, type BundleSpec, ENV_BANNER } from "./bundles.ts";
import { writeVercelOutput } from "./vercel-output.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

function banner(spec: BundleSpec, version: string): string {
  return [
    `// Commerce Layer webhook receiver ${version}: ${spec.title}.`,
    `// Built by \`npm run build\` from ${spec.entry}; edit the sources, not this file.`,
    ...ENV_BANNER.map((line) => `// ${line}`),
  ].join("\n");
}

/**
 * One declaration file per factory bundle, with every type it needs written out: the platform types it uses
 * (@types/aws-lambda, @netlify/functions) are inlined, so a user's project needs no extra package. Only Node's own
 * types (node:http, for the Node flavour) and the Web Request/Response globals are referenced.
 */
function writeDeclarations(specs: readonly BundleSpec[], version: string): void {
  for (const spec of specs) {
    // One program per file: generating several at once, when one of them pulls in the AWS SDK's types, took minutes
    // instead of seconds (measured with dts-bundle-generator 9.5).
    const [declaration] = generateDtsBundle(
      [
        {
          filePath: `${ROOT}${spec.entry}`,
          libraries: { inlinedLibraries: ["aws-lambda", "@netlify/functions", "@netlify/types"] },
          output: { exportReferencedTypes: false, noBanner: true },
        },
      ],
      { preferredConfigPath: `${ROOT}tsconfig.json` },
    );
    // TypeScript pairs `x.mjs` with `x.d.mts`.
    const file = `${ROOT}${spec.outfile.replace(/\.mjs$/, ".d.mts")}`;
    writeFileSync(file, `${banner(spec, version).replace(/^\/\/ /, "// Types for ")}\n\n${declaration}`);
  }
}

function newestModification(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestModification(join(path, entry))));
}

/** True when every bundle exists and is newer than every source it is built from. */
export function bundlesAreFresh(): boolean {
  const outputs = BUNDLES.map((spec) => `${ROOT}${spec.outfile}`);
  if (!outputs.every((output) => existsSync(output))) return false;
  const sources = ["shared", "functions", "infra/build.ts", "infra/bundles.ts", "package.json"].map(
    (source) => `${ROOT}${source}`,
  );
  const newestSource = Math.max(...sources.map(newestModification));
  return Math.min(...outputs.map((output) => statSync(output).mtimeMs)) > newestSource;
}

/** Bundles every entry point; with `declarations`, also the factories' .d.mts files (a few seconds more). */
export async function buildBundles({ declarations = true }: { declarations?: boolean } = {}): Promise<void> {
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  await Promise.all(
    BUNDLES.map((spec) =>
      build({
        absWorkingDir: ROOT,
        entryPoints: [spec.entry],
        outfile: spec.outfile,
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        // People read what they deploy: no minification, non-ASCII kept as written.
        minify: false,
        charset: "utf8",
        legalComments: "none",
        banner: { js: banner(spec, version) },
        external: [...(spec.external ?? [])],
        logLevel: "warning",
      }),
    ),
  );
  writeVercelOutput(ROOT);
  if (declarations)
    writeDeclarations(
      BUNDLES.filter((spec) => spec.declarations),
      version,
    );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildBundles();
  for (const spec of BUNDLES) console.log(`built ${spec.outfile}${spec.declarations ? " (+ .d.mts)" : ""}`);
  console.log("built .vercel/output (Vercel Build Output API)");
}
