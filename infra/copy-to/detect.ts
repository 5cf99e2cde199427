// What kind of project a folder is, from the files its own tools read: package.json's dependencies, serverless.yml,
// netlify.toml, vercel.json, and the folders a framework routes from (app/, pages/, api/, netlify/functions/).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ModuleSystem, moduleSystemAt, serverModuleSystem } from "./module-system.ts";

export const PROJECT_KINDS = {
  "nextjs-app": "Next.js, App Router (app/ or src/app/)",
  "nextjs-pages": "Next.js, pages router (pages/ or src/pages/)",
  "vercel-api": "Vercel functions in api/ (no framework)",
  netlify: "Netlify site (netlify.toml or netlify/functions/)",
  serverless: "Serverless Framework service (serverless.yml)",
  express: "Express app",
  node: "plain Node server (node:http), with --as node",
} as const;

export type ProjectKind = keyof typeof PROJECT_KINDS;

export interface Project {
  readonly dir: string;
  readonly kind: ProjectKind;
  /** Sources live under src/ (Next.js `src/app`, or an Express app's `src/`): the copy goes there too. */
  readonly usesSrc: boolean;
  /** The project has a tsconfig.json: the handler file is TypeScript, else JavaScript. */
  readonly typescript: boolean;
  /** What Node makes of a `.js` file where the handler file goes: package.json's "type". */
  readonly packageType: ModuleSystem;
  /**
   * What the project's own code is, which decides how it loads what the command writes: package.json's "type", or for
   * an Express app or a Node server, its entry file's (a server.mjs in a package with no "type" is ESM). A CommonJS
   * app `require`s what it loads, so it gets CommonJS files.
   */
  readonly moduleSystem: ModuleSystem;
  /** Netlify's functions directory, as netlify.toml names it (default netlify/functions). */
  readonly functionsDir?: string;
  /** A Serverless plugin that bundles TypeScript is in serverless.yml, so a .ts handler is fine there. */
  readonly bundlesTypeScript?: boolean;
  /** The service's serverless.yml (or .yaml), relative to the project. */
  readonly serverlessFile?: string;
  /**
   * next.config turns on Cache Components (create-next-app 16.4 does by default): Next.js then refuses any `runtime`
   * route segment config, so an edge route fails `next build`.
   */
  readonly cacheComponents?: boolean;
}

export type Detection = { readonly project: Project } | { readonly refused: string };

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function dependsOn(manifest: Record<string, unknown> | undefined, name: string): boolean {
  return ["dependencies", "devDependencies"].some(
    (field) => typeof manifest?.[field] === "object" && name in (manifest[field] as object),
  );
}

const SERVERLESS_FILES = ["serverless.yml", "serverless.yaml"];

/** `directory = "..."` under [functions] in netlify.toml; the default when there is none. */
function netlifyFunctionsDir(dir: string): string {
  const toml = join(dir, "netlify.toml");
  if (!existsSync(toml)) return "netlify/functions";
  const section = /^\[functions\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(readFileSync(toml, "utf8"))?.[1] ?? "";
  return /^\s*directory\s*=\s*"([^"]+)"/m.exec(section)?.[1]?.replace(/\/$/, "") ?? "netlify/functions";
}

const NEXT_CONFIGS = ["next.config.ts", "next.config.mts", "next.config.js", "next.config.mjs", "next.config.cjs"];

/** `cacheComponents: true` in the project's next.config (the first one Next.js would load). */
function cacheComponentsOn(dir: string): boolean {
  const file = NEXT_CONFIGS.find((name) => existsSync(join(dir, name)));
  return file !== undefined && /^\s*cacheComponents\s*:\s*true\b/m.test(readFileSync(join(dir, file), "utf8"));
}

const knownKinds = () =>
  Object.entries(PROJECT_KINDS)
    .map(([kind, what]) => `  ${kind.padEnd(13)} ${what}`)
    .join("\n");

export function detectProject(dir: string, as?: string): Detection {
  if (!existsSync(dir)) return { refused: `${dir} does not exist` };
  const manifest = readJson(join(dir, "package.json"));
  const has = (path: string) => existsSync(join(dir, path));
  const typescript = has("tsconfig.json");
  const packageType = moduleSystemAt(dir);
  const base = { dir, typescript, packageType, moduleSystem: packageType };
  if (as !== undefined && !(as in PROJECT_KINDS))
    return { refused: `--as ${as} is not a kind this command knows. It knows:\n${knownKinds()}` };
  const kind = (as as ProjectKind | undefined) ?? guessKind(dir, manifest);
  if (kind === undefined) {
    return {
      refused: `cannot tell what project ${dir} is (${manifest === undefined ? "no package.json" : "no Next.js, Vercel, Netlify, Serverless or Express marker"}). It knows:\n${knownKinds()}\nName it with --as <kind>.`,
    };
  }
  switch (kind) {
    case "nextjs-app":
      return {
        project: { ...base, kind, usesSrc: !has("app") && has("src/app"), cacheComponents: cacheComponentsOn(dir) },
      };
    case "nextjs-pages":
      return { project: { ...base, kind, usesSrc: !has("pages") && has("src/pages") } };
    case "netlify":
      return { project: { ...base, kind, usesSrc: false, functionsDir: netlifyFunctionsDir(dir) } };
    case "serverless": {
      const file = SERVERLESS_FILES.find(has);
      const yml = file === undefined ? "" : readFileSync(join(dir, file), "utf8");
      const bundlesTypeScript = /serverless-(esbuild|plugin-typescript|webpack)\b/.test(yml);
      return { project: { ...base, kind, usesSrc: false, bundlesTypeScript, serverlessFile: file } };
    }
    default: {
      const usesSrc = has("src");
      const sourceType = moduleSystemAt(usesSrc ? join(dir, "src") : dir);
      const moduleSystem = typescript ? sourceType : serverModuleSystem(dir, sourceType);
      return { project: { ...base, kind, usesSrc, packageType: sourceType, moduleSystem } };
    }
  }
}

function guessKind(dir: string, manifest: Record<string, unknown> | undefined): ProjectKind | undefined {
  const has = (path: string) => existsSync(join(dir, path));
  if (SERVERLESS_FILES.some(has)) return "serverless";
  if (dependsOn(manifest, "next")) {
    if (has("app") || has("src/app")) return "nextjs-app";
    if (has("pages") || has("src/pages")) return "nextjs-pages";
    return "nextjs-app";
  }
  if (has("netlify.toml") || has("netlify/functions")) return "netlify";
  if (has("vercel.json")) return "vercel-api";
  // Before api/: an Express app often has an api/ folder of its own.
  if (dependsOn(manifest, "express")) return "express";
  if (has("api")) return "vercel-api";
  return undefined;
}
