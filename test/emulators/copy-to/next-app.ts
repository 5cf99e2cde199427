// A Next.js app as a user starts one: `create-next-app` (this package's pinned version, asked nothing), its packages,
// then the app's own `next build` and `next start`. The packages are test/emulators/nextjs's installed node_modules,
// copied in (seconds, where `npm install` from the cache takes 15 to 20): a symlink would not do, as Turbopack refuses
// files outside the app's root. The app's package.json is pinned to the versions copied, as `npm install next@<version>
// react@<version> ...` would pin it: create-next-app writes its own version of next, a few patches behind.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { delay, freePort, type ServerProcess, startServerProcess } from "../server-process.ts";
import { EMULATOR_MODULES, ROOT, run } from "./copy-to-run.ts";

const CREATE_NEXT_APP = join(EMULATOR_MODULES, "create-next-app/dist/index.js");
export const NEXT_MODULES = join(ROOT, "test/emulators/nextjs/node_modules");

export interface NextApp {
  readonly dir: string;
  /** A HOME of the app's own: create-next-app keeps preferences there, Next.js its telemetry id. */
  readonly home: string;
  /** The folder both are in, removed after the suite. */
  readonly scratch: string;
}

/** What Next.js and create-next-app see of the environment: nothing of the developer's shell but PATH and locale. */
function nextEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { HOME: home, NEXT_TELEMETRY_DISABLED: "1", CI: "1", NO_COLOR: "1", ...extra };
  for (const name of ["PATH", "LANG", "TZ", "TMPDIR"])
    if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

/**
 * `create-next-app shop --ts --empty ...` with every question answered by a flag, then the packages. `--empty`: the
 * default pages load Google Fonts at build time, which an offline build cannot fetch.
 */
export async function createNextApp(options: {
  readonly router: "app" | "pages";
  readonly srcDir: boolean;
  /** App Router: create-next-app turns Cache Components on unless told not to. */
  readonly cacheComponents?: boolean;
}): Promise<NextApp> {
  const scratch = mkdtempSync(join(tmpdir(), "cl-copy-to-next-"));
  const home = join(scratch, "home");
  mkdirSync(home);
  const flags = [
    "--ts",
    options.router === "app" ? "--app" : "--no-app",
    "--empty",
    "--no-tailwind",
    "--no-eslint",
    options.srcDir ? "--src-dir" : "--no-src-dir",
    ...(options.cacheComponents === false ? ["--no-cache-components"] : []),
    "--import-alias",
    "@/*",
    "--use-npm",
    "--skip-install",
    "--disable-git",
    "--no-agents-md",
    "--no-agent-feedback",
    "--yes",
  ];
  const created = await run(process.execPath, [CREATE_NEXT_APP, "shop", ...flags], {
    cwd: scratch,
    env: nextEnv(home),
    timeoutMs: 60_000,
  });
  const dir = join(scratch, "shop");
  if (created.code !== 0 || !existsSync(join(dir, "package.json")))
    throw new Error(`create-next-app exited with ${created.code}:\n${created.stdout}${created.stderr}`);
  installNext(dir);
  return { dir, home, scratch };
}

function installNext(dir: string): void {
  const manifestPath = join(dir, "package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, Record<string, string>>;
  for (const field of ["dependencies", "devDependencies"]) {
    for (const name of Object.keys(manifest[field] ?? {})) {
      const installed = join(NEXT_MODULES, name, "package.json");
      if (existsSync(installed))
        (manifest[field] as Record<string, string>)[name] = (
          JSON.parse(readFileSync(installed, "utf8")) as { version: string }
        ).version;
    }
  }
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  // verbatimSymlinks: node_modules/.bin's relative links stay relative, into the copy.
  cpSync(NEXT_MODULES, join(dir, "node_modules"), { recursive: true, verbatimSymlinks: true });
}

function next(app: NextApp, args: readonly string[]): ServerProcess {
  return startServerProcess(process.execPath, [join(app.dir, "node_modules/next/dist/bin/next"), ...args], {
    cwd: app.dir,
    env: nextEnv(app.home),
  });
}

/** The app's `next build` to its end; throws with its output if it fails or outlasts `timeoutMs`. */
export async function nextBuild(app: NextApp, timeoutMs = 180_000): Promise<string> {
  const build = next(app, ["build"]);
  const code = await Promise.race([build.exited, delay(timeoutMs).then(() => "timeout" as const)]);
  await build.stop();
  if (code !== 0)
    throw new Error(`next build ${code === "timeout" ? "timed out" : `exited with ${code}`}:\n${build.output()}`);
  return build.output();
}

/** The app's `next start` on a free port, once it is ready; the secret comes from the app's .env.local. */
export async function nextStart(app: NextApp): Promise<{ server: ServerProcess; url: string }> {
  const port = await freePort();
  const server = next(app, ["start", "--hostname", "127.0.0.1", "--port", String(port)]);
  try {
    await server.waitForOutput(/Ready in/, 60_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { server, url: `http://127.0.0.1:${port}` };
}
