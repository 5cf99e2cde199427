// The files the command copies into a project's lib/commercelayer/ and keeps up to date: a file of
// dist/factories/<platform>/ and its declarations, as they are (.mjs, .d.mts), or converted to CommonJS (.cjs, .d.cts)
// for a project that `require`s them. The in-memory deduplication store has no file in dist/: it is bundled here,
// from shared/webhooks/deduplication.ts, the code the template's own bundles run.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";
import { BUILD_SOURCES, newestModification } from "../build/sources.ts";
import type { ModuleSystem } from "./module-system.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A folder of dist/factories/: the platform a factory file is for. */
export type FactoryFolder = "vercel" | "node" | "aws-lambda" | "netlify" | "edge";

/** The first line of every file this command copies: how a re-run knows the file is its own to update. */
export const COPIED_MARK = "// Copied by `npm run copy-to` from ";

export interface CopiedModule {
  /** The dist/factories/ folder it comes from; undefined for the memory store, built from the sources. */
  readonly folder: FactoryFolder | undefined;
  /** Its name without extension: commercelayer-webhook-factory, dynamodb-deduplication-store, ... */
  readonly name: string;
}

export interface CopiedFile {
  readonly path: string;
  readonly content: string;
}

export const MEMORY_STORE = "memory-deduplication-store";

/** The extension of a copied module in a project of this module system, as its importers name it. */
export const codeExtension = (flavour: ModuleSystem) => (flavour === "esm" ? ".mjs" : ".cjs");
const typesExtension = (flavour: ModuleSystem) => (flavour === "esm" ? ".d.mts" : ".d.cts");

let building: Promise<void> | undefined;

/**
 * dist/ built when a file this run copies is missing or older than the sources, as a user would be told to; once per
 * run, however many files find it stale. The build (and the TypeScript compiler its declarations load) is imported
 * only then: a run that copies fresh files starts in a fraction of the time.
 */
async function ensureBuilt(files: readonly string[]): Promise<void> {
  const newestSource = Math.max(...BUILD_SOURCES.map((source) => newestModification(join(ROOT, source))));
  if (files.every((file) => existsSync(file) && statSync(file).mtimeMs > newestSource)) return;
  building ??= (async () => {
    const { buildBundles } = await import("../build/build.ts");
    await buildBundles();
    console.log("built dist/ first: the factory files were missing or older than the sources");
  })();
  await building;
}

/** The leading `//` lines of a bundle (what it is, how it was built, its variables): kept above a conversion. */
function bannerOf(code: string): string {
  const lines = code.split("\n");
  const end = lines.findIndex((line) => !line.startsWith("//"));
  return lines.slice(0, end < 0 ? lines.length : end).join("\n");
}

/**
 * The same module as CommonJS: esbuild's conversion (named exports on `module.exports`, `require` for Node's
 * built-ins and the SDKs a store imports). Dynamic `import()` of an optional SDK stays as it is: CommonJS has it too.
 */
async function asCommonJs(esm: string): Promise<string> {
  const { code } = await transform(esm, { format: "cjs", platform: "node", target: "node20", loader: "js" });
  return `${bannerOf(esm)}\n// Converted to CommonJS by \`npm run copy-to\`, for a project that requires it.\n\n${code}`;
}

async function memoryStoreCode(): Promise<string> {
  const { outputFiles } = await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, "infra/copy-to/memory-deduplication-store.ts")],
    bundle: true,
    write: false,
    platform: "neutral",
    format: "esm",
    target: "es2022",
    legalComments: "none",
    banner: {
      js: [
        "// Commerce Layer webhook receiver: deduplication in this process's memory, createMemoryDeduplicationStore().",
        "// Built by `npm run copy-to` from shared/webhooks/deduplication.ts. One warm instance only: a duplicate that",
        "// reaches another instance, or comes after a cold start, runs again.",
      ].join("\n"),
    },
  });
  return outputFiles[0]?.text ?? "";
}

/** The memory store's declarations, on the webhook factory's own types beside it. */
const memoryStoreTypes = (flavour: ModuleSystem) =>
  [
    `import type { DeduplicationStore } from "./commercelayer-webhook-factory${codeExtension(flavour)}";`,
    "",
    "/** Claims in this process's memory: one warm instance only (a duplicate on another instance runs again). */",
    "export declare function createMemoryDeduplicationStore(now?: () => number): DeduplicationStore;",
    "",
  ].join("\n");

/** The code and declaration files of `module` for a project of `flavour`, under `libDir`, each with the mark. */
export async function copiedFiles(
  module: CopiedModule,
  flavour: ModuleSystem,
  libDir: string,
  origin: string,
): Promise<readonly CopiedFile[]> {
  const base = module.folder === undefined ? undefined : join(ROOT, "dist/factories", module.folder, module.name);
  await ensureBuilt(base === undefined ? [] : [`${base}.mjs`, `${base}.d.mts`]);
  const from = module.folder === undefined ? "shared/webhooks/deduplication.ts" : `dist/factories/${module.folder}/`;
  const mark = `${COPIED_MARK}${origin} (${from}${flavour === "cjs" ? ", as CommonJS" : ""}): re-running it updates this file.\n`;
  let code: string;
  let types: string;
  if (base === undefined) {
    code = await memoryStoreCode();
    types = memoryStoreTypes(flavour);
  } else {
    code = readFileSync(`${base}.mjs`, "utf8");
    types = readFileSync(`${base}.d.mts`, "utf8");
  }
  if (flavour === "cjs") code = await asCommonJs(code);
  return [
    { path: `${libDir}/${module.name}${codeExtension(flavour)}`, content: mark + code },
    { path: `${libDir}/${module.name}${typesExtension(flavour)}`, content: mark + types },
  ];
}
