// Shared by the Vercel suites: where things are, Vercel's own packages loaded from this emulator package, and the
// `vercel` CLI run as a detached process group that is always stopped, whole, with bounded waits.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const EMULATOR_DIR = fileURLToPath(new URL(".", import.meta.url));
export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const VERCEL_CLI = join(EMULATOR_DIR, "node_modules/vercel/dist/vc.js");

/**
 * Loads a CommonJS package of this emulator package (ajv, @vercel/*). Typed by the caller with the few members it
 * uses, so that the root `tsc` passes on a checkout where the emulator package is not installed.
 */
export const requireFromEmulator = createRequire(join(EMULATOR_DIR, "package.json"));

export function assertEmulatorInstalled(): void {
  if (!existsSync(VERCEL_CLI)) {
    throw new Error(`the vercel CLI is not installed in ${EMULATOR_DIR}: run \`npm run emulators:install\` first`);
  }
}

export function assertBuilt(...files: string[]): void {
  const missing = files.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length > 0) throw new Error(`missing ${missing.join(", ")}: run \`npm run build\` first`);
}

/**
 * A clean environment for the CLI: no variables of this test run (VITEST, NODE_ENV, npm's own), a throwaway HOME so
 * that no Vercel login or config of this machine is read or written, and no telemetry or update check.
 */
export function vercelEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ["PATH", "LANG", "TZ", "TMPDIR", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, HOME: home, VERCEL_TELEMETRY_DISABLED: "1", NO_UPDATE_NOTIFIER: "1", CI: "1", ...extra };
}

/** This machine's npm cache and user config, for an `npm ci` run under a throwaway HOME. */
export function npmEnvOfThisMachine(): Record<string, string> {
  const get = (key: string) => execFileSync("npm", ["config", "get", key], { encoding: "utf8" }).trim();
  return {
    npm_config_cache: get("cache"),
    npm_config_userconfig: get("userconfig"),
    npm_config_prefer_offline: "true",
  };
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the exit code; rejects after `timeoutMs` (the process group is stopped first). */
  exited(timeoutMs: number): Promise<number | null>;
  /** Stops the whole process group: SIGTERM, then SIGKILL; rejects if anything of it is still alive. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** Runs `node <vercel CLI> ...args` directly (no npx, no shell) as the leader of its own process group. */
export function spawnVercel(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): CliProcess {
  const child = spawn(process.execPath, [VERCEL_CLI, ...args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const pgid = child.pid;
  if (pgid === undefined) throw new Error(`could not start the vercel CLI (${VERCEL_CLI})`);
  let log = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    log += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    log += chunk;
  });
  let exitCode: number | null | undefined;
  const exit = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      exitCode = code;
      resolve(code);
    });
  });

  const stop = async (): Promise<void> => {
    for (const [signal, waitMs] of [
      ["SIGTERM", 5_000],
      ["SIGKILL", 3_000],
    ] as const) {
      if (!groupAlive(pgid) && exitCode !== undefined) return;
      try {
        process.kill(-pgid, signal);
      } catch {
        // The group is gone already.
      }
      if (await waitUntil(() => !groupAlive(pgid) && exitCode !== undefined, waitMs)) return;
    }
    throw new Error(`process group ${pgid} (vercel ${args.join(" ")}) survived SIGKILL`);
  };

  return {
    child,
    output: () => log,
    stop,
    exited: async (timeoutMs) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), timeoutMs);
      });
      const result = await Promise.race([exit, timeout]);
      clearTimeout(timer);
      if (result === "timeout") {
        await stop();
        throw new Error(`vercel ${args.join(" ")} did not finish within ${timeoutMs} ms. Output:\n${log}`);
      }
      return result;
    },
  };
}

export interface DevServer {
  readonly url: string;
  readonly process: CliProcess;
}

/**
 * `vercel dev --local` in `projectDir` on a free port. Resolves once it prints its URL; on a timeout or an early exit
 * it stops the process group and rejects with the CLI's output.
 */
export async function startVercelDev(
  projectDir: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<DevServer> {
  const cli = spawnVercel(["dev", "--local", "--yes", "--listen", "127.0.0.1:0"], { cwd: projectDir, env });
  const ready = /Ready! Available at (http:\/\/\S+)/;
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (url === undefined) {
    url = ready.exec(cli.output())?.[1];
    if (url !== undefined) break;
    const exitCode = cli.child.exitCode ?? cli.child.signalCode;
    if (exitCode !== null || Date.now() > deadline) {
      await cli.stop();
      const why = exitCode !== null ? `exited (${exitCode})` : `was not ready within ${timeoutMs} ms`;
      throw new Error(`vercel dev ${why}. Output:\n${cli.output()}`);
    }
    await sleep(50);
  }
  return { url, process: cli };
}

/** True when nothing accepts connections on the URL's port any more. */
export function portClosed(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.setTimeout(2_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}
