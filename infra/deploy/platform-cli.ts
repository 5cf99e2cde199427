// Which platform CLI the deploy scripts run, and how. Each platform's CLI is pinned to the version the emulator suites
// test (test/emulators/<platform>/package.json; a suite checks the two agree). One already installed is used when
// it has that major version: DEPLOY_<NAME>_CLI (a path, taken as it is: the tests point it at the emulator packages'
// binaries), else the first `<bin>` on PATH (`npm run` puts node_modules/.bin first). Otherwise `npx --yes pkg@version`.
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";

export interface PlatformCliSpec {
  /** The npm package. */
  readonly pkg: string;
  /** The version the emulator suites test; `npx` runs exactly this one. */
  readonly version: string;
  /** The executable's name on PATH. */
  readonly bin: string;
  /** The variable naming an executable to use instead. */
  readonly overrideVariable: string;
}

export const VERCEL_CLI: PlatformCliSpec = {
  pkg: "vercel",
  version: "60.1.3",
  bin: "vercel",
  overrideVariable: "DEPLOY_VERCEL_CLI",
};
// Serverless Framework v3: v4 needs a Serverless login or licence key, even for `package`.
export const SERVERLESS_CLI: PlatformCliSpec = {
  pkg: "serverless",
  version: "3.40.0",
  bin: "serverless",
  overrideVariable: "DEPLOY_SERVERLESS_CLI",
};
export const NETLIFY_CLI: PlatformCliSpec = {
  pkg: "netlify-cli",
  version: "26.2.0",
  bin: "netlify",
  overrideVariable: "DEPLOY_NETLIFY_CLI",
};

export interface ResolvedCli {
  readonly file: string;
  /** Arguments that come before the CLI's own (npx's). */
  readonly prefix: readonly string[];
  /** How to say it in a message: a command the user can type. */
  readonly shown: string;
  /** Where it came from, for the one line printed before it runs. */
  readonly origin: string;
}

const major = (version: string) => version.split(".")[0];

/** The version of the package an executable belongs to (its real path, then up to the package.json naming it). */
function installedVersion(executable: string, pkg: string): string | undefined {
  let dir = dirname(realpathSync(executable));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      if (name === pkg) return version;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function resolveCli(spec: PlatformCliSpec, env: NodeJS.ProcessEnv = process.env): ResolvedCli {
  const override = env[spec.overrideVariable];
  if (override) return { file: override, prefix: [], shown: override, origin: `${spec.overrideVariable}=${override}` };
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, spec.bin);
    if (!isExecutable(candidate)) continue;
    const version = installedVersion(candidate, spec.pkg);
    // Another major (a global Serverless v4, an old vercel) is passed over, not run: its commands and logins differ.
    if (version !== undefined && major(version) === major(spec.version)) {
      return { file: candidate, prefix: [], shown: spec.bin, origin: `${spec.pkg} ${version} (${candidate})` };
    }
  }
  const pinned = `${spec.pkg}@${spec.version}`;
  return { file: "npx", prefix: ["--yes", pinned], shown: `npx --yes ${pinned}`, origin: `npx --yes ${pinned}` };
}

/** A command as the user would type it. */
export function commandLine(cli: ResolvedCli, args: readonly string[]): string {
  return [cli.shown, ...args].join(" ");
}

export interface Captured {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a check (whoami, status, env list) or a setting (env add) quietly, with a deadline: offline, some CLIs retry for
 * long. `input` is written to its stdin, which is how a secret reaches a CLI without being in its arguments (other
 * users' `ps`, the CLI's telemetry).
 */
export function capture(
  cli: ResolvedCli,
  args: readonly string[],
  timeoutMs = 60_000,
  input?: string,
): Promise<Captured> {
  return new Promise((resolve, reject) => {
    const argv = [...cli.prefix, ...args];
    const child =
      input === undefined
        ? spawn(cli.file, argv, { stdio: ["ignore", "pipe", "pipe"] })
        : spawn(cli.file, argv, { stdio: ["pipe", "pipe", "pipe"] });
    // A CLI that exits without reading its stdin must not fail this process with EPIPE.
    child.stdin?.on("error", () => {});
    child.stdin?.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve({ code: null, stdout, stderr: `${stderr}\n${commandLine(cli, args)} did not answer in ${timeoutMs} ms` });
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${cli.shown}: ${error.message}`));
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs a step in the foreground, its output going straight to the terminal; resolves with its exit code. */
export function runStep(file: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { stdio: "inherit" });
    child.once("error", (error) => reject(new Error(`could not start ${file}: ${error.message}`)));
    child.once("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

export function runCli(cli: ResolvedCli, args: readonly string[]): Promise<number> {
  return runStep(cli.file, [...cli.prefix, ...args]);
}

/** Which of the CLI's streams a deploy reads afterwards (for the URL it printed); the others stay the terminal's. */
export interface WatchedStreams {
  readonly stdout: boolean;
  readonly stderr: boolean;
}

/**
 * Runs a step in the foreground like runCli, with the watched streams passed through this process: every chunk is
 * written on at once and kept, so that the deployed URL the CLI printed can be read once it is done. A watched stream
 * is no terminal to the CLI, which then prints plain lines instead of spinners; colours are kept with FORCE_COLOR when
 * this process writes to a terminal and the user chose nothing.
 */
export function runWatched(cli: ResolvedCli, args: readonly string[], watched: WatchedStreams): Promise<Captured> {
  const env = { ...process.env };
  if (process.stdout.isTTY && env.FORCE_COLOR === undefined && env.NO_COLOR === undefined) env.FORCE_COLOR = "1";
  return new Promise((resolve, reject) => {
    const child = spawn(cli.file, [...cli.prefix, ...args], {
      env,
      stdio: ["inherit", watched.stdout ? "pipe" : "inherit", watched.stderr ? "pipe" : "inherit"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (text: string) => {
      process.stdout.write(text);
      stdout += text;
    });
    child.stderr?.setEncoding("utf8").on("data", (text: string) => {
      process.stderr.write(text);
      stderr += text;
    });
    child.once("error", (error) => reject(new Error(`could not start ${cli.shown}: ${error.message}`)));
    child.once("close", (code, signal) => {
      // vercel writes the deployment URL to a non-terminal stdout without a newline: what follows starts a line.
      if (stdout !== "" && !stdout.endsWith("\n")) process.stdout.write("\n");
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}
