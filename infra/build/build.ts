// `npm run build`: bundles each platform entry point into one readable, self-contained ESM file under dist/, with no
// runtime dependency outside Node's standard library, then lays out Vercel's Build Output API in .vercel/output.
// Every webhook entry point is built from functions/handlers.ts, every external-resource one from functions/external.ts
// (only when it implements a kind: external-deploy.ts); `handlersFile` and `externalHandlersFile` build the same
// bundles from other files (the tests build them from their own fixture handlers, into a folder of their own).
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { generateDtsBundle } from "dts-bundle-generator";
import { build, type Plugin } from "esbuild";
import type { ExternalKind } from "../../shared/external/kinds.ts";
import { BUNDLES, type BundleSpec, ENV_BANNER } from "./bundles.ts";
import { checkHandlersFiles } from "./check-handlers.ts";
import {
  EXTERNAL_HANDLERS_FILE,
  implementedExternalKinds,
  netlifyExternalEntry,
  SERVERLESS_EXTERNAL_FILE,
  serverlessExternal,
} from "./external-deploy.ts";
import { BUILD_SOURCES, newestModification } from "./sources.ts";
import { writeVercelOutput } from "./vercel-output.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The file every entry point imports its handlers and options from. */
export const HANDLERS_FILE = "functions/handlers.ts";

function banner(spec: BundleSpec, version: string, handlersFile: string): string {
  return [
    `// Commerce Layer webhook receiver ${version}: ${spec.title}.`,
    `// Built by \`npm run build\` from ${spec.entry}${spec.declarations ? "" : ` and ${handlersFile}`}; edit the sources, not this file.`,
    ...(spec.envBanner ?? ENV_BANNER).map((line) => `// ${line}`),
  ].join("\n");
}

/**
 * One declaration file per factory bundle, with every type it needs written out: the platform types it uses
 * (@types/aws-lambda, @netlify/functions) are inlined, so a user's project needs no extra package. Only Node's own
 * types (node:http, for the Node flavour) and the Web Request/Response globals are referenced.
 */
function writeDeclarations(specs: readonly BundleSpec[], version: string, outRoot: string): void {
  for (const spec of specs) {
    // One program per file: generating several at once, when one of them pulls in the AWS SDK's types, took minutes
    // instead of seconds (measured with dts-bundle-generator 9.5).
    const [declaration] = generateDtsBundle(
      [
        {
          filePath: join(ROOT, spec.entry),
          libraries: { inlinedLibraries: ["aws-lambda", "@netlify/functions", "@netlify/types"] },
          output: { exportReferencedTypes: false, noBanner: true },
        },
      ],
      { preferredConfigPath: join(ROOT, "tsconfig.json") },
    );
    // TypeScript pairs `x.mjs` with `x.d.mts`.
    const file = join(outRoot, spec.outfile.replace(/\.mjs$/, ".d.mts"));
    writeFileSync(file, `${banner(spec, version, HANDLERS_FILE).replace(/^\/\/ /, "// Types for ")}\n\n${declaration}`);
  }
}

/**
 * True when every bundle exists and is newer than every source it is built from. The external deployables exist only
 * for implemented kinds; the Serverless file beside them is always written.
 */
export function bundlesAreFresh(): boolean {
  const outputs = [
    ...BUNDLES.filter((spec) => spec.externalDeployable === undefined).map((spec) => spec.outfile),
    SERVERLESS_EXTERNAL_FILE,
  ].map((output) => join(ROOT, output));
  if (!outputs.every((output) => existsSync(output))) return false;
  const sources = BUILD_SOURCES.map((source) => join(ROOT, source));
  const newestSource = Math.max(...sources.map(newestModification));
  return Math.min(...outputs.map((output) => statSync(output).mtimeMs)) > newestSource;
}

/** Points the entry points' imports of functions/handlers.ts and functions/external.ts at other files. */
function handlersFrom(files: Readonly<Record<string, string>>): Plugin {
  const replacements = new Map(Object.entries(files).map(([standard, file]) => [join(ROOT, standard), file]));
  return {
    name: "handlers-file",
    setup(plugin) {
      plugin.onResolve({ filter: /(handlers|external)\.ts$/ }, (args) => {
        const replacement = replacements.get(resolve(args.resolveDir, args.path));
        return replacement === undefined || replacement === resolve(args.resolveDir, args.path)
          ? undefined
          : { path: replacement };
      });
    },
  };
}

const shownPath = (file: string) => (file.startsWith(ROOT) ? file.slice(ROOT.length).replace(/^\//, "") : file);

export interface BuildOptions {
  /** Also write the factories' .d.mts files (a few seconds more). Default true. */
  readonly declarations?: boolean;
  /** The handlers file to build from, absolute or relative to the repository. Default functions/handlers.ts. */
  readonly handlersFile?: string;
  /** The external-resource handlers file, likewise. Default functions/external.ts. */
  readonly externalHandlersFile?: string;
  /** Where dist/ and .vercel/output go. Default: the repository. */
  readonly outRoot?: string;
}

export async function buildBundles(options: BuildOptions = {}): Promise<void> {
  const { declarations = true, outRoot = ROOT } = options;
  const handlersFile = resolve(ROOT, options.handlersFile ?? HANDLERS_FILE);
  const externalFile = resolve(ROOT, options.externalHandlersFile ?? EXTERNAL_HANDLERS_FILE);
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  // First, as it can fail (a key that names no kind): nothing is written then.
  const kinds = await implementedExternalKinds(externalFile, ROOT);
  const plugins = [handlersFrom({ [HANDLERS_FILE]: handlersFile, [EXTERNAL_HANDLERS_FILE]: externalFile })];
  const built = BUNDLES.filter((spec) => spec.externalDeployable === undefined || kinds.length > 0);
  // A kind-less build leaves no external deployable behind from an earlier one (Netlify deploys every file there).
  for (const spec of BUNDLES.filter((left) => !built.includes(left)))
    rmSync(join(outRoot, spec.outfile), { force: true });
  await Promise.all(
    built.map((spec) =>
      build({
        absWorkingDir: ROOT,
        ...entryOf(spec, kinds),
        outfile: join(outRoot, spec.outfile),
        bundle: true,
        platform: spec.runtime === "web" ? "neutral" : "node",
        format: "esm",
        // ES2022: what Vercel's edge runtime, workerd, Deno and Bun all run.
        target: spec.runtime === "web" ? "es2022" : "node20",
        // People read what they deploy: no minification, non-ASCII kept as written.
        minify: false,
        charset: "utf8",
        legalComments: "none",
        banner: { js: banner(spec, version, shownPath(spec.externalDeployable ? externalFile : handlersFile)) },
        external: [...(spec.external ?? [])],
        alias: { ...spec.alias },
        plugins,
        logLevel: "warning",
      }),
    ),
  );
  const serverlessFile = join(outRoot, SERVERLESS_EXTERNAL_FILE);
  mkdirSync(join(serverlessFile, ".."), { recursive: true });
  writeFileSync(serverlessFile, `${JSON.stringify(serverlessExternal(kinds), null, 2)}\n`);
  writeVercelOutput(outRoot, kinds);
  if (declarations)
    writeDeclarations(
      BUNDLES.filter((spec) => spec.declarations),
      version,
      outRoot,
    );
}

/** The entry point esbuild starts from: the file, or for Netlify's external function the file plus its `config`. */
function entryOf(spec: BundleSpec, kinds: readonly ExternalKind[]) {
  if (spec.externalDeployable !== "netlify-config") return { entryPoints: [spec.entry] };
  const contents = netlifyExternalEntry(spec.entry, ROOT, kinds);
  return { stdin: { contents, resolveDir: ROOT, sourcefile: "netlify-external-config.ts", loader: "ts" as const } };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `npm run build:deploy` (what vercel.json, netlify.toml and the deploy scripts run): the deployed files only. The
  // factories' .d.mts are for copying into projects, and generating them is most of the build's time.
  const declarations = !process.argv.includes("--no-declarations");
  // Before anything is built: a misspelt topic or a type error stops the build, and so every deploy.
  const problems = checkHandlersFiles([HANDLERS_FILE, EXTERNAL_HANDLERS_FILE]);
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    console.error(`npm run build: the handlers files do not check (${problems.length} above): nothing was built`);
    process.exit(1);
  }
  await buildBundles({ declarations });
  // One line: `npm test` starts with this build, and its output is meant to be the test runner's summary.
  const verbose = process.env.VERBOSE === "1";
  const present = BUNDLES.filter((spec) => existsSync(join(ROOT, spec.outfile)));
  if (verbose)
    for (const spec of present) console.log(`built ${spec.outfile}${spec.declarations ? " (+ .d.mts)" : ""}`);
  const typed = declarations ? BUNDLES.filter((spec) => spec.declarations).length : 0;
  const hint = verbose ? "" : " (VERBOSE=1 lists them)";
  console.log(`built ${present.length} bundles into dist/ (${typed} with .d.mts) and .vercel/output${hint}`);
}
