// `netlify build --offline` with the repository's netlify.toml: what Netlify's build would package and route.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUNDLES,
  cliEnv,
  LEGACY_FUNCTION,
  ROOT,
  readZip,
  requireCliAndBundles,
  runCli,
  V2_FUNCTION,
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

// Written by `netlify build` into the project (.netlify/ is gitignored); everything else it writes goes to HOME.
const FUNCTIONS_DIST = join(ROOT, ".netlify/functions");
const MANIFEST = join(FUNCTIONS_DIST, "manifest.json");
const NODE_MAJOR = process.versions.node.split(".")[0];

let home: string;

function readManifest(): ManifestFunction[] {
  return (JSON.parse(readFileSync(MANIFEST, "utf8")) as { functions: ManifestFunction[] }).functions;
}

beforeAll(() => {
  requireCliAndBundles();
  home = mkdtempSync(join(tmpdir(), "netlify-build-home-"));
});

afterAll(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("netlify build --offline, from the repository root", () => {
  it("--dry validates netlify.toml and plans the build command, then functions bundling", async () => {
    rmSync(FUNCTIONS_DIST, { recursive: true, force: true });
    const { code, output } = await runCli(["build", "--dry", "--offline"], {
      cwd: ROOT,
      env: cliEnv(home),
      timeoutMs: 60_000,
    });
    expect(code, output).toBe(0);
    expect(output).toContain(join(ROOT, "netlify.toml"));
    expect(output).toContain("build.command from netlify.toml");
    expect(output).toContain("Functions bundling");
    expect(existsSync(MANIFEST), "a dry run packages nothing").toBe(false);
  });

  it("runs `npm run build` and packages both bundles as they are (node_bundler none)", async () => {
    const { code, output } = await runCli(["build", "--offline"], {
      cwd: ROOT,
      env: cliEnv(home),
      timeoutMs: 170_000,
    });
    expect(code, output).toBe(0);
    expect(output).toContain("$ npm run build");
    expect(output).toContain("Packaging Functions from dist/netlify directory");

    const byName = new Map(readManifest().map((fn) => [fn.name, fn]));

    // The v2 function: `export default` + `config.path`, found by reading the ESM bundle.
    expect(byName.get(V2_FUNCTION)).toMatchObject({
      bundler: "none",
      runtime: "js",
      mainFile: BUNDLES[V2_FUNCTION],
      buildData: { runtimeAPIVersion: 2 },
      routes: [{ pattern: "/webhooks/commercelayer", literal: "/webhooks/commercelayer", methods: [] }],
      // The runtime follows the Node.js that ran the build: on Netlify, NODE_VERSION from netlify.toml.
      runtimeVersion: `nodejs${NODE_MAJOR}.x`,
    });
    // The legacy function: Lambda-compatible `handler`, at its default /.netlify/functions/ URL.
    const legacy = byName.get(LEGACY_FUNCTION);
    expect(legacy).toMatchObject({
      bundler: "none",
      runtime: "js",
      mainFile: BUNDLES[LEGACY_FUNCTION],
      buildData: { runtimeAPIVersion: 1 },
      runtimeVersion: `nodejs${NODE_MAJOR}.x`,
    });
    expect(legacy?.routes).toBeUndefined();

    // Each package holds the bundle byte for byte, next to Netlify's own bootstrap files, and nothing from node_modules.
    for (const name of [V2_FUNCTION, LEGACY_FUNCTION] as const) {
      const fn = byName.get(name);
      if (fn === undefined) throw new Error(`${name} is not in the manifest`);
      const entries = readZip(readFileSync(fn.path));
      const file = `${name}.mjs`;
      expect(entries.get(file)?.equals(readFileSync(BUNDLES[name])), `${file} in ${fn.path}`).toBe(true);
      const others = [...entries.keys()].filter((entry) => entry !== file);
      expect(others.length).toBeGreaterThan(0);
      for (const entry of others) expect(entry).toMatch(/^___netlify-[\w.-]+$/);
    }
  }, 180_000); // `netlify build` runs `npm run build`, which bundles and writes declarations: slow on a busy CI machine

  it("packages nothing else: every script in dist/netlify (the functions directory) would be deployed", () => {
    const names = readManifest().map((fn) => fn.name);
    expect(names.sort(), "only the two webhook bundles may be written to dist/netlify").toEqual([
      V2_FUNCTION,
      LEGACY_FUNCTION,
    ]);
  });

  it("resolved the site's settings from netlify.toml", () => {
    // `netlify build` writes the configuration it resolved next to the packages.
    const resolved = readFileSync(join(ROOT, ".netlify/netlify.toml"), "utf8");
    expect(resolved).toContain(`publish = "${join(ROOT, "netlify/public")}"`);
    expect(resolved).toContain('command = "npm run build"');
    expect(resolved).toContain(`functions = "${join(ROOT, "dist/netlify")}"`);
    expect(resolved).toMatch(/\[functions\."\*"\]\s+node_bundler = "none"/);
    expect(resolved).toMatch(/\[build\.environment\]\s+NODE_VERSION = "22"/);
    expect(existsSync(join(ROOT, "netlify/public/index.html"))).toBe(true);
  });
});
