// `netlify build --offline` with the repository's netlify.toml: what Netlify's build would package and route. Run on a
// copy of the repository (copyRepository) whose functions/handlers.ts re-exports the suites' own handlers
// (test/fixtures/handlers.ts), and whose functions/external.ts re-exports test/fixtures/external-some-handlers.ts (two
// kinds of ten): the build command (`npm run build`) then builds what the suites know, never the user's, and the
// external function's routes can be told from "every kind".
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployedExternalPath } from "../../../../infra/build/external-deploy.ts";
import { SOME_KINDS } from "../../../fixtures/external-some-handlers.ts";
import { FIXTURE_LINE } from "../../../fixtures/handlers.ts";
import { copyRepository } from "../../repository-copy.ts";
import {
  cliEnv,
  EXTERNAL_FUNCTION,
  FUNCTIONS,
  LEGACY_FUNCTION,
  readZip,
  requireCliAndBundles,
  runCli,
  V2_FUNCTION,
  WORKER_FUNCTION,
} from "./netlify-cli.ts";

interface ManifestFunction {
  name: string;
  bundler?: string;
  runtime?: string;
  runtimeVersion?: string;
  mainFile?: string;
  path: string;
  buildData?: { runtimeAPIVersion?: number };
  routes?: { pattern: string; literal?: string; methods: string[] }[];
}

/**
 * The runtime every function is packaged for: netlify.toml's AWS_LAMBDA_JS_RUNTIME, whatever Node.js runs this build
 * (without it, the build's own: nodejs20.x on Node 20).
 */
const PINNED_RUNTIME = "nodejs22.x";

let temp: string;
let home: string;
/** The copy of the repository the build runs in (its node_modules: a symlink to the repository's). */
let repo: string;
// Written by `netlify build` into the project (.netlify/ is gitignored); everything else it writes goes to HOME.
let functionsDist: string;
let manifest: string;
/** Every function the copy's build writes to dist/netlify: the webhook ones, and the external one (two kinds). */
const DEPLOYED = [...FUNCTIONS, EXTERNAL_FUNCTION] as const;
const BUNDLES = Object.fromEntries(DEPLOYED.map((name) => [name, `dist/netlify/${name}.mjs`])) as Record<
  (typeof DEPLOYED)[number],
  string
>;
const EXTERNAL_PATHS = SOME_KINDS.map((kind) => deployedExternalPath("netlify", kind));

// In the copy only: the build reads the kinds it deploys from functions/external.ts (empty as the template ships it).
const SOME_EXTERNAL_HANDLERS_REEXPORT = `// Written by the emulator suites: this copy builds two external kinds.
export { externalHandlers } from "../test/fixtures/external-some-handlers.ts";
`;

function readManifest(): ManifestFunction[] {
  return (JSON.parse(readFileSync(manifest, "utf8")) as { functions: ManifestFunction[] }).functions;
}

beforeAll(() => {
  requireCliAndBundles();
  temp = mkdtempSync(join(tmpdir(), "netlify-build-"));
  home = join(temp, "home");
  mkdirSync(home);
  repo = join(temp, "repo");
  copyRepository(repo, { linkNodeModules: true });
  writeFileSync(join(repo, "functions/external.ts"), SOME_EXTERNAL_HANDLERS_REEXPORT);
  functionsDist = join(repo, ".netlify/functions");
  manifest = join(functionsDist, "manifest.json");
});

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

describe("netlify build --offline, on a copy of the repository", () => {
  it("--dry validates netlify.toml and plans the build command, then functions bundling", async () => {
    rmSync(functionsDist, { recursive: true, force: true });
    const { code, output } = await runCli(["build", "--dry", "--offline"], {
      cwd: repo,
      env: cliEnv(home),
      timeoutMs: 60_000,
    });
    expect(code, output).toBe(0);
    expect(output).toContain(join(repo, "netlify.toml"));
    expect(output).toContain("build.command from netlify.toml");
    expect(output).toContain("Functions bundling");
    expect(existsSync(manifest), "a dry run packages nothing").toBe(false);
  });

  it("runs `npm run build:deploy` and packages the four bundles as they are (node_bundler none)", async () => {
    const { code, output } = await runCli(["build", "--offline"], {
      cwd: repo,
      env: cliEnv(home),
      timeoutMs: 170_000,
    });
    expect(code, output).toBe(0);
    expect(output).toContain("$ npm run build:deploy");
    expect(output).toContain("Packaging Functions from dist/netlify directory");

    const byName = new Map(readManifest().map((fn) => [fn.name, fn]));

    // The v2 function: `export default` + `config.path`, found by reading the ESM bundle.
    expect(byName.get(V2_FUNCTION)).toMatchObject({
      bundler: "none",
      runtime: "js",
      mainFile: join(repo, BUNDLES[V2_FUNCTION]),
      buildData: { runtimeAPIVersion: 2 },
      routes: [{ pattern: "/webhooks/commercelayer", literal: "/webhooks/commercelayer", methods: [] }],
      runtimeVersion: PINNED_RUNTIME,
    });
    // The legacy function: Lambda-compatible `handler`, at its default /.netlify/functions/ URL.
    const legacy = byName.get(LEGACY_FUNCTION);
    expect(legacy).toMatchObject({
      bundler: "none",
      runtime: "js",
      mainFile: join(repo, BUNDLES[LEGACY_FUNCTION]),
      buildData: { runtimeAPIVersion: 1 },
      runtimeVersion: PINNED_RUNTIME,
    });
    expect(legacy?.routes).toBeUndefined();
    // The background function (v2, `export default`, no config.path): at /.netlify/functions/<name>, which is where
    // both receiving functions hand deferred deliveries to.
    const worker = byName.get(WORKER_FUNCTION);
    expect(worker).toMatchObject({
      bundler: "none",
      runtime: "js",
      mainFile: join(repo, BUNDLES[WORKER_FUNCTION]),
      buildData: { runtimeAPIVersion: 2 },
      runtimeVersion: PINNED_RUNTIME,
    });
    // The external function: v2, routed at exactly the implemented kinds' paths, read from its literal `config.path`
    // list without running it (a path Netlify does not find there is a URL it never routes to the function).
    const external = byName.get(EXTERNAL_FUNCTION);
    expect(external).toMatchObject({
      bundler: "none",
      runtime: "js",
      mainFile: join(repo, BUNDLES[EXTERNAL_FUNCTION]),
      buildData: { runtimeAPIVersion: 2 },
      runtimeVersion: PINNED_RUNTIME,
    });
    expect(external?.routes).toEqual(EXTERNAL_PATHS.map((path) => ({ pattern: path, literal: path, methods: [] })));

    // Each package holds the bundle byte for byte, next to Netlify's own bootstrap files, and nothing from node_modules.
    for (const name of DEPLOYED) {
      const fn = byName.get(name);
      if (fn === undefined) throw new Error(`${name} is not in the manifest`);
      const entries = readZip(readFileSync(fn.path));
      const file = `${name}.mjs`;
      expect(entries.get(file)?.equals(readFileSync(join(repo, BUNDLES[name]))), `${file} in ${fn.path}`).toBe(true);
      // Built from the suites' own handlers, re-exported by the copy's functions/handlers.ts and functions/external.ts.
      expect(entries.get(file)?.toString("utf8"), file).toContain(
        name === EXTERNAL_FUNCTION ? "fixture handler threw for" : FIXTURE_LINE,
      );
      const others = [...entries.keys()].filter((entry) => entry !== file);
      expect(others.length).toBeGreaterThan(0);
      for (const entry of others) expect(entry).toMatch(/^___netlify-[\w.-]+$/);
    }
  }, 180_000); // `netlify build` runs `npm run build`, which bundles and writes declarations: slow on a busy CI machine

  it("packages nothing else: every script in dist/netlify (the functions directory) would be deployed", () => {
    const names = readManifest().map((fn) => fn.name);
    expect(names.sort(), "only the three webhook bundles and the external one may be written to dist/netlify").toEqual(
      [...DEPLOYED].sort(),
    );
  });

  it("resolved the site's settings from netlify.toml", () => {
    // `netlify build` writes the configuration it resolved next to the packages.
    const resolved = readFileSync(join(repo, ".netlify/netlify.toml"), "utf8");
    expect(resolved).toContain(`publish = "${join(repo, "infra/deploy/netlify-site")}"`);
    expect(resolved).toContain('command = "npm run build:deploy"');
    expect(resolved).toContain(`functions = "${join(repo, "dist/netlify")}"`);
    expect(resolved).toMatch(/\[functions\."\*"\]\s+node_bundler = "none"/);
    expect(resolved).toMatch(/\[build\.environment\]\s+NODE_VERSION = "22"/);
    expect(resolved).toContain(`AWS_LAMBDA_JS_RUNTIME = "${PINNED_RUNTIME}"`);
    expect(existsSync(join(repo, "infra/deploy/netlify-site/index.html"))).toBe(true);
  });
});
