// `npm run build`: bundles each platform entry point into one readable, self-contained ESM file under dist/, with no
// runtime dependency outside Node's standard library, then lays out Vercel's Build Output API in .vercel/output.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
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

export async function buildBundles(): Promise<void> {
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
        logLevel: "warning",
      }),
    ),
  );
  writeVercelOutput(ROOT);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildBundles();
  for (const spec of BUNDLES) console.log(`built ${spec.outfile}`);
  console.log("built .vercel/output (Vercel Build Output API)");
}
