// The Vercel deploy: vercel.json and the Build Output API directory `npm run build` writes (.vercel/output), checked
// with Vercel's own code, then `vercel build` run on a copy of this repository to see what it leaves for the deploy.
// The .vercel/output checked is the one the suites' global setup builds from their own handlers
// (test/fixtures/handlers.ts, and test/fixtures/external-handlers.ts for all ten external kinds); the copy's
// functions/handlers.ts and functions/external.ts re-export those handlers too (copyRepository). Two more builds,
// from files implementing some kinds and none, show that a kind the file leaves out is left out of the output.
// - vercel.json: the CLI's own `validateConfig` (the JSON schema `vercel build` checks it with), and a type
//   check against `VercelConfig` of @vercel/config (generated from the published vercel.json schema), which also
//   covers the top-level project settings the CLI's schema lets through unchecked.
// - .vercel/output/config.json: `routesSchema` and `normalizeRoutes` of @vercel/routing-utils.
// - .vc-config.json: read by build-utils' `deserializeBuildOutput` into a NodejsLambda (whose constructor asserts the
//   types of runtime, handler, maxDuration...), and a type check against build-utils' `SerializedNodejsLambda`. No JSON
//   schema for it is published.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundles } from "../../../infra/build/build.ts";
import { deployedExternalPath } from "../../../infra/build/external-deploy.ts";
import { MINIMUM_NODE_MAJOR, runtimeMajor } from "../../../infra/deploy/node-runtime.ts";
import { EXTERNAL_KIND_NAMES, type ExternalKind } from "../../../shared/external/kinds.ts";
import { SOME_KINDS } from "../../fixtures/external-some-handlers.ts";
import { FIXTURE_LINE } from "../../fixtures/handlers.ts";
import { FIXTURE_HANDLERS, fixtureBuild } from "../../support/bundles.ts";
import { copyRepository } from "../repository-copy.ts";
import {
  assertEmulatorInstalled,
  EMULATOR_DIR,
  npmEnvOfThisMachine,
  ROOT,
  requireFromEmulator,
  spawnVercel,
  vercelEnv,
} from "./support.ts";

const FUNCTION_PATH = "api/webhooks/commercelayer";
const FUNCTION_DIR = `functions/${FUNCTION_PATH}.func`;
const BUNDLE = "dist/vercel/commercelayer-webhook.mjs";
const EXTERNAL_BUNDLE = "dist/vercel/commercelayer-external.mjs";
/** A line only the suites' external handlers (test/fixtures/external-handlers.ts) have. */
const FIXTURE_EXTERNAL_LINE = "fixture handler threw for";

/** A kind's function, one per implemented kind: at the kind's deployed path, as the webhook's is at its own. */
const externalFunctionPath = (kind: ExternalKind) => deployedExternalPath("vercel", kind).slice(1);
const functionDir = (functionPath: string) => `functions/${functionPath}.func`;

// The few members of Vercel's packages these tests use (loaded at run time from the emulator package).
type ValidateFunction = ((data: unknown) => boolean) & { errors?: unknown };
interface AjvInstance {
  compile(schema: object): ValidateFunction;
}
interface RoutingUtils {
  routesSchema: object;
  normalizeRoutes(routes: unknown[]): { routes: unknown[] | null; error: { message: string } | null };
}
interface DeserializedLambda {
  type: string;
  launcherType?: string;
  runtime: string;
  handler: string;
  shouldAddHelpers?: boolean;
  supportsResponseStreaming?: boolean;
  maxDuration?: number | "max";
  architecture: string;
  environment: Record<string, string>;
  files?: Record<string, { type: string; fsPath?: string }>;
}
interface BuildUtils {
  NODE_VERSIONS: { runtime: string; state?: string }[];
  deserializeLambda: unknown;
  deserializeBuildOutput(options: {
    outputDir: string;
    repoRootPath: string;
    deserializeLambda: unknown;
    groupLambdas: (lambdas: Record<string, unknown>) => Promise<Record<string, unknown>>;
  }): Promise<{ routes?: unknown[]; output: Record<string, DeserializedLambda> }>;
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

/** The CLI's own vercel.json validator, from the chunk of its dist that exports it. */
async function cliValidateConfig(): Promise<(config: unknown) => { message: string } | null> {
  const chunks = join(EMULATOR_DIR, "node_modules/vercel/dist/chunks");
  const exporting = readdirSync(chunks).filter(
    (file) => file.endsWith(".js") && /export\{[^}]*\bvalidateConfig\}/.test(readFileSync(join(chunks, file), "utf8")),
  );
  expect(exporting, "exactly one chunk of the vercel CLI exports validateConfig").toHaveLength(1);
  const module = (await import(pathToFileURL(join(chunks, exporting[0] ?? "")).href)) as {
    validateConfig: (config: unknown) => { message: string } | null;
  };
  return module.validateConfig;
}

function ajvFor(schema: object): ValidateFunction {
  // The routing-utils schemas are written for ajv 6 (draft-07 keywords only); ajv 8 needs strict mode off for them.
  const Ajv = (requireFromEmulator("ajv") as { default: new (options: object) => AjvInstance }).default;
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

/**
 * Type-checks each `[name, source]` with the TypeScript compiler and returns its diagnostics by file name. The sources
 * import types by absolute path from the emulator package's node_modules.
 */
function typeCheck(sources: Record<string, string>): Record<string, string[]> {
  const dir = mkdtempSync(join(tmpdir(), "cl-vercel-types-"));
  try {
    const files = Object.entries(sources).map(([name, source]) => {
      const file = join(dir, `${name}.ts`);
      writeFileSync(file, source);
      return file;
    });
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      typeRoots: [join(ROOT, "node_modules/@types")],
      types: ["node"],
    });
    const byFile: Record<string, string[]> = Object.fromEntries(Object.keys(sources).map((name) => [name, []]));
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const name = diagnostic.file ? (diagnostic.file.fileName.split("/").pop() ?? "").replace(/\.ts$/, "") : "?";
      byFile[name] = [...(byFile[name] ?? []), ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")];
    }
    return byFile;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const typesOf = (path: string) => JSON.stringify(join(EMULATOR_DIR, "node_modules", path));

function vercelJsonCheck(json: string): string {
  return [
    `import type { VercelConfig } from ${typesOf("@vercel/config/dist/types.js")};`,
    // `$schema` is for editors; the generated type leaves it out.
    `export const config = ${json.trim()} satisfies VercelConfig & { $schema?: string };`,
  ].join("\n");
}

function vcConfigCheck(json: string): string {
  return [
    `import type { SerializedNodejsLambda } from ${typesOf("@vercel/build-utils/dist/deserialize/serialized-types.js")};`,
    // Every key written must be one build-utils knows, with its type; the keys below must be there. The type also
    // requires the fields its constructors fill in (type, architecture, environment, shouldAddSourcemapSupport).
    `type Written = Partial<SerializedNodejsLambda> &`,
    `  Pick<SerializedNodejsLambda, "runtime" | "handler" | "launcherType" | "shouldAddHelpers">;`,
    `export const config = ${json.trim()} satisfies Written;`,
  ].join("\n");
}

function expectOurFunction(lambda: DeserializedLambda | undefined, outputDir: string): void {
  expect(lambda).toMatchObject({
    type: "Lambda",
    launcherType: "Nodejs",
    runtime: "nodejs22.x",
    handler: "index.mjs",
    shouldAddHelpers: false,
    supportsResponseStreaming: true,
    maxDuration: 10,
    environment: {},
  });
  const files = lambda?.files ?? {};
  expect(Object.keys(files).sort()).toEqual(["index.mjs", "package.json"]);
  expect(files["index.mjs"]?.fsPath).toBe(join(outputDir, FUNCTION_DIR, "index.mjs"));
}

/** What build-utils' `deserializeBuildOutput` (what `vercel deploy --prebuilt` reads) makes of an output directory. */
async function deserialized(outputDir: string, repoRootPath: string): Promise<Record<string, DeserializedLambda>> {
  const buildUtils = requireFromEmulator("@vercel/build-utils") as BuildUtils;
  const result = await buildUtils.deserializeBuildOutput({
    outputDir,
    repoRootPath,
    deserializeLambda: buildUtils.deserializeLambda,
    groupLambdas: async (lambdas) => lambdas,
  });
  return result.output;
}

/** The functions an output built for `kinds` holds: the webhook's, and one per kind. */
const functionPathsFor = (kinds: readonly ExternalKind[]) => [FUNCTION_PATH, ...kinds.map(externalFunctionPath)].sort();

/**
 * Each kind's function: a Node function configured as the webhook's is (same .vc-config.json, so the same lambda
 * but for its files), serving the external bundle of `root` as index.mjs, marked ESM.
 */
function expectExternalFunctions(
  lambdas: Record<string, DeserializedLambda>,
  kinds: readonly ExternalKind[],
  outputDir: string,
  root: string,
): void {
  const { files: _webhookFiles, ...webhookConfig } = lambdas[FUNCTION_PATH] ?? ({} as DeserializedLambda);
  const webhookVcConfig = readJson(join(outputDir, FUNCTION_DIR, ".vc-config.json"));
  const bundle = readFileSync(join(root, EXTERNAL_BUNDLE));
  for (const kind of kinds) {
    const dir = functionDir(externalFunctionPath(kind));
    const { files, ...config } = lambdas[externalFunctionPath(kind)] ?? ({} as DeserializedLambda);
    expect(config, kind).toEqual(webhookConfig);
    expect(readJson(join(outputDir, dir, ".vc-config.json")), kind).toEqual(webhookVcConfig);
    expect(Object.keys(files ?? {}).sort(), kind).toEqual(["index.mjs", "package.json"]);
    expect(files?.["index.mjs"]?.fsPath, kind).toBe(join(outputDir, dir, "index.mjs"));
    expect(readFileSync(join(outputDir, dir, "index.mjs")).equals(bundle), `${kind}: the external bundle`).toBe(true);
    expect(readJson(join(outputDir, dir, "package.json")), kind).toEqual({ type: "module" });
  }
}

beforeAll(() => {
  assertEmulatorInstalled();
  const missing = [BUNDLE, ".vercel/output/config.json", `.vercel/output/${FUNCTION_DIR}/.vc-config.json`].filter(
    (file) => !existsSync(join(fixtureBuild(), file)),
  );
  if (missing.length > 0)
    throw new Error(`missing ${missing.join(", ")} in ${fixtureBuild()}: the global setup builds them`);
});

describe("vercel.json", () => {
  const text = readFileSync(join(ROOT, "vercel.json"), "utf8");

  it("deploys the prebuilt .vercel/output: npm ci, npm run build:deploy, no framework", () => {
    expect(JSON.parse(text)).toEqual({
      $schema: "https://openapi.vercel.sh/vercel.json",
      framework: null,
      installCommand: "npm ci",
      buildCommand: "npm run build:deploy",
    });
  });

  it("passes the vercel CLI's own validateConfig, which rejects a broken config", async () => {
    const validateConfig = await cliValidateConfig();
    expect(validateConfig(JSON.parse(text))).toBeNull();
    expect(validateConfig({ functions: { "api/x.mjs": { maxDuration: "10" } } })?.message).toMatch(/maxDuration/);
  });

  it("type-checks against VercelConfig of @vercel/config, which catches an unknown or mistyped key", () => {
    const diagnostics = typeCheck({
      vercelJson: vercelJsonCheck(text),
      unknownKey: vercelJsonCheck(text.replace("{", '{ "outputDir": "x",')),
      badFramework: vercelJsonCheck(text.replace('"framework": null', '"framework": "none"')),
    });
    expect(diagnostics.vercelJson).toEqual([]);
    expect(diagnostics.unknownKey?.join("\n")).toMatch(/outputDir/);
    expect(diagnostics.badFramework?.join("\n")).toMatch(/"none"/);
  });
});

describe(".vercel/output written by npm run build (the build of the suites' handlers)", () => {
  const outputDir = join(fixtureBuild(), ".vercel/output");

  it("config.json: Build Output API v3, routes valid for routesSchema and normalizeRoutes", () => {
    const config = readJson(join(outputDir, "config.json")) as { version: number; routes: unknown[] };
    expect(config.version).toBe(3);
    const routing = requireFromEmulator("@vercel/routing-utils") as RoutingUtils;
    const validate = ajvFor(routing.routesSchema);
    expect(validate(config.routes), JSON.stringify(validate.errors)).toBe(true);
    expect(routing.normalizeRoutes(config.routes).error).toBeNull();
    expect(validate([{ handle: "filesystem", src: "/x" }]), "routesSchema rejects a broken route").toBe(false);
  });

  it(".vc-config.json: build-utils' deserializeBuildOutput reads our Node function, helpers off", async () => {
    const lambdas = await deserialized(outputDir, fixtureBuild());
    expect(Object.keys(lambdas).sort()).toEqual(functionPathsFor(EXTERNAL_KIND_NAMES));
    expectOurFunction(lambdas[FUNCTION_PATH], outputDir);
    const deployed = readFileSync(join(outputDir, FUNCTION_DIR, "index.mjs"));
    expect(deployed.equals(readFileSync(join(fixtureBuild(), BUNDLE)))).toBe(true);
    expect(deployed.toString("utf8")).toContain(FIXTURE_LINE);
    expect(readJson(join(outputDir, FUNCTION_DIR, "package.json"))).toEqual({ type: "module" });
  });

  it("one function per external kind at functions/api/external/<kind>.func, configured as the webhook's", async () => {
    const lambdas = await deserialized(outputDir, fixtureBuild());
    // Payment gateway kinds nest a folder deeper: functions/api/external/payment-gateway/authorize.func.
    expect(functionDir(externalFunctionPath("payment-gateway/authorize"))).toBe(
      "functions/api/external/payment-gateway/authorize.func",
    );
    expectExternalFunctions(lambdas, EXTERNAL_KIND_NAMES, outputDir, fixtureBuild());
    expect(readFileSync(join(fixtureBuild(), EXTERNAL_BUNDLE), "utf8")).toContain(FIXTURE_EXTERNAL_LINE);
  });

  it(".vc-config.json: type-checks against build-utils' SerializedNodejsLambda", () => {
    const json = readFileSync(join(outputDir, FUNCTION_DIR, ".vc-config.json"), "utf8");
    const diagnostics = typeCheck({
      vcConfig: vcConfigCheck(json),
      helpersAsString: vcConfigCheck(json.replace('"shouldAddHelpers": false', '"shouldAddHelpers": "false"')),
    });
    expect(diagnostics.vcConfig).toEqual([]);
    expect(diagnostics.helpersAsString?.join("\n")).toMatch(/boolean/);
  });

  it(".vc-config.json: the runtime is Node 22 or later, a version build-utils lists as active", () => {
    const { runtime } = readJson(join(outputDir, FUNCTION_DIR, ".vc-config.json")) as { runtime: string };
    const { NODE_VERSIONS } = requireFromEmulator("@vercel/build-utils") as BuildUtils;
    expect(NODE_VERSIONS.find((version) => version.runtime === runtime)?.state).toBe("active");
    // Active follows Vercel's calendar; the template's own floor is Node 22 (infra/deploy/node-runtime.ts).
    expect(runtimeMajor(runtime)).toBeGreaterThanOrEqual(MINIMUM_NODE_MAJOR);
  });
});

// A kind the external handlers file leaves out gets no function: Vercel answers its path with its own 404, never a
// document.
describe(".vercel/output built from external handlers files implementing some kinds, and none", () => {
  let temp: string | undefined;
  const outRootOf = (name: string) => join(temp ?? "", name);

  beforeAll(async () => {
    // Inside the repository, where the bundles resolve node_modules.
    mkdirSync(join(ROOT, ".test-build"), { recursive: true });
    temp = mkdtempSync(join(ROOT, ".test-build", "vercel-external-"));
    for (const [name, externalHandlersFile] of [
      ["some", "test/fixtures/external-some-handlers.ts"],
      ["none", "test/fixtures/external-no-handlers.ts"],
    ] as const) {
      await buildBundles({
        declarations: false,
        handlersFile: FIXTURE_HANDLERS,
        externalHandlersFile: join(ROOT, externalHandlersFile),
        outRoot: outRootOf(name),
      });
    }
  }, 120_000);

  afterAll(() => {
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  });

  it("test/fixtures/external-some-handlers.ts: the webhook function and SOME_KINDS' functions only", async () => {
    const outputDir = join(outRootOf("some"), ".vercel/output");
    const lambdas = await deserialized(outputDir, outRootOf("some"));
    expect(Object.keys(lambdas).sort()).toEqual(functionPathsFor(SOME_KINDS));
    expectOurFunction(lambdas[FUNCTION_PATH], outputDir);
    expectExternalFunctions(lambdas, SOME_KINDS, outputDir, outRootOf("some"));
    // Nothing of another kind is left in the functions folder (deserializeBuildOutput reads .func folders only).
    expect(readdirSync(join(outputDir, "functions/api/external")).sort()).toEqual(
      SOME_KINDS.map((kind) => `${kind}.func`).sort(),
    );
  });

  it("test/fixtures/external-no-handlers.ts: the webhook function only, and no external bundle", async () => {
    const outputDir = join(outRootOf("none"), ".vercel/output");
    const lambdas = await deserialized(outputDir, outRootOf("none"));
    expect(Object.keys(lambdas)).toEqual([FUNCTION_PATH]);
    expectOurFunction(lambdas[FUNCTION_PATH], outputDir);
    expect(readdirSync(join(outputDir, "functions/api"))).toEqual(["webhooks"]);
    expect(existsSync(join(outRootOf("none"), EXTERNAL_BUNDLE))).toBe(false);
  });
});

// What Vercel does with this repository: `vercel build` (offline, with a placeholder project link) on a copy of the
// files git would push, running the install and build commands of vercel.json for real.
describe("vercel build on a copy of this repository", () => {
  let temp: string;
  let copy: string;
  let log = "";
  let exitCode: number | null = null;

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), "cl-vercel-build-"));
    copy = join(temp, "repo");
    // Tracked files and files not ignored yet (a working tree not committed yet), never node_modules: `npm ci` in the
    // copy empties node_modules first, and through a symlink it would empty the real one.
    copyRepository(copy, { linkNodeModules: false });
    // `vercel build` needs a linked project; offline, a placeholder with empty settings (vercel.json gives them).
    mkdirSync(join(copy, ".vercel"));
    writeFileSync(join(copy, ".vercel/project.json"), JSON.stringify({ projectId: "x", orgId: "y", settings: {} }));
    mkdirSync(join(temp, "home"));
    const cli = spawnVercel(["build", "--yes", "--debug"], {
      cwd: copy,
      env: vercelEnv(join(temp, "home"), npmEnvOfThisMachine()),
    });
    try {
      exitCode = await cli.exited(150_000);
    } finally {
      await cli.stop();
      log = cli.output();
    }
  }, 180_000);

  afterAll(() => {
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  });

  it("succeeds, running vercel.json's install and build commands with no framework", () => {
    expect(exitCode, log).toBe(0);
    expect(log).toContain('Running "install" command: `npm ci`');
    expect(log).toContain("> tsx infra/build/build.ts");
    expect(log).toMatch(/built \d+ bundles into dist\/ \(0 with .d.mts\) and .vercel\/output/);
    expect(log).toMatch(/Build Completed in \.vercel[/\\]output/);
  });

  it("deploys our functions from our output: same bundles, same .vc-config.json", async () => {
    const outputDir = join(copy, ".vercel/output");
    const functions = join(outputDir, "functions");
    expect(readdirSync(functions, { recursive: true }).map(String).sort()).toEqual(
      [
        "api",
        "api/webhooks",
        "api/external",
        "api/external/payment-gateway",
        ...functionPathsFor(EXTERNAL_KIND_NAMES).flatMap((path) =>
          [".func", ".func/.vc-config.json", ".func/index.mjs", ".func/package.json"].map((file) => path + file),
        ),
      ].sort(),
    );
    const deployed = readFileSync(join(outputDir, FUNCTION_DIR, "index.mjs"));
    expect(deployed.equals(readFileSync(join(copy, BUNDLE)))).toBe(true);
    // Built from the suites' own handlers: the copy's functions/handlers.ts re-exports them.
    expect(deployed.toString("utf8")).toContain(FIXTURE_LINE);
    expect(readJson(join(outputDir, FUNCTION_DIR, ".vc-config.json"))).toEqual(
      readJson(join(fixtureBuild(), ".vercel/output", FUNCTION_DIR, ".vc-config.json")),
    );
    const lambdas = await deserialized(outputDir, copy);
    expect(Object.keys(lambdas).sort()).toEqual(functionPathsFor(EXTERNAL_KIND_NAMES));
    expectOurFunction(lambdas[FUNCTION_PATH], outputDir);
    // Built from the copy's functions/external.ts, which re-exports the suites' external handlers (all ten kinds).
    expectExternalFunctions(lambdas, EXTERNAL_KIND_NAMES, outputDir, copy);
    expect(readFileSync(join(copy, EXTERNAL_BUNDLE), "utf8")).toContain(FIXTURE_EXTERNAL_LINE);
  });

  it("rewrites config.json with its own merged routes, none of which stands before our functions", () => {
    const config = readJson(join(copy, ".vercel/output/config.json")) as {
      version: number;
      routes: { handle?: string; src?: string; status?: number }[];
    };
    expect(config.version).toBe(3);
    const routing = requireFromEmulator("@vercel/routing-utils") as RoutingUtils;
    const validate = ajvFor(routing.routesSchema);
    expect(validate(config.routes), JSON.stringify(validate.errors)).toBe(true);
    expect(routing.normalizeRoutes(config.routes).error).toBeNull();
    // Our lone { handle: "filesystem" } is dropped by routing-utils' mergeRoutes (a phase with no routes is left out;
    // the filesystem, where functions live, is checked anyway). What remains only applies to misses ("error" phase):
    // the zero-config 404 for paths outside /api.
    const firstHandle = config.routes.findIndex((route) => route.handle !== undefined);
    expect(firstHandle, "no route runs before the filesystem check").toBe(0);
    expect(config.routes[0]).toEqual({ handle: "error" });
    for (const route of config.routes.slice(1)) {
      expect(route.handle).toBeUndefined();
      for (const functionPath of functionPathsFor(EXTERNAL_KIND_NAMES)) {
        expect(new RegExp(route.src ?? "").test(`/${functionPath}`), JSON.stringify(route)).toBe(false);
      }
    }
  });
});
