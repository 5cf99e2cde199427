// Runs `npm run deploy:<platform>` as a user would, in a copy of the repository (copyRepository: the files git would
// push, handlers re-exported from test/fixtures/handlers.ts, node_modules linked), with a clean environment (no login,
// no secret, a throwaway HOME) and the platform CLI pointed, through DEPLOY_<NAME>_CLI, at a recorder: a small script
// that notes each command line and then runs the emulator package's real CLI. The recorder shows which CLI commands a
// deploy script ran, so a test can tell that nothing was deployed.
import { spawn } from "node:child_process";
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { copyRepository, ROOT } from "../repository-copy.ts";

/** The emulator packages' CLIs (`npm run emulators:install`), at the versions infra/deploy pins. */
export const EMULATOR_CLIS = {
  vercel: join(ROOT, "test/emulators/vercel/node_modules/.bin/vercel"),
  serverless: join(ROOT, "test/emulators/aws-lambda/node_modules/.bin/serverless"),
  netlify: join(ROOT, "test/emulators/netlify/node_modules/.bin/netlify"),
} as const;

export function emulatorManifestVersion(platformDir: string, pkg: string): string | undefined {
  const manifest = JSON.parse(readFileSync(join(ROOT, "test/emulators", platformDir, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  };
  return manifest.devDependencies[pkg];
}

export interface Workspace {
  /** The temporary folder holding everything below; the caller removes it. */
  readonly temp: string;
  /** The copy of the repository the script runs in. */
  readonly repo: string;
  /** The throwaway HOME. */
  readonly home: string;
  /** The recorder's path, for DEPLOY_<NAME>_CLI. */
  readonly cli: string;
  /** The command lines the recorder saw, in order (each without the CLI's name). */
  calls(): string[][];
  /** Forgets the calls seen so far. */
  resetCalls(): void;
}

export function createWorkspace(realCli: string): Workspace {
  if (!existsSync(realCli)) throw new Error(`${realCli} is missing: run \`npm run emulators:install\` first`);
  const temp = mkdtempSync(join(tmpdir(), "cl-deploy-"));
  const repo = join(temp, "repo");
  const home = join(temp, "home");
  mkdirSync(home);
  copyRepository(repo, { linkNodeModules: true });
  const log = join(temp, "cli-calls.jsonl");
  const cli = join(temp, "recorded-cli.cjs");
  writeFileSync(
    cli,
    `#!/usr/bin/env node
// Notes the command line, then runs the real CLI with the same arguments, streams and exit code.
const { appendFileSync } = require("node:fs");
const { spawnSync } = require("node:child_process");
appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + "\\n");
const run = spawnSync(${JSON.stringify(realCli)}, process.argv.slice(2), { stdio: "inherit" });
process.exit(run.status === null ? 1 : run.status);
`,
  );
  chmodSync(cli, 0o755);
  writeFileSync(log, "");
  return {
    temp,
    repo,
    home,
    cli,
    calls: () =>
      readFileSync(log, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as string[]),
    resetCalls: () => writeFileSync(log, ""),
  };
}

/** Appends to a file the workspace owns (a link, a credentials file), creating its folder. */
export function writeInto(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, text);
}

/**
 * The script's environment: this process's PATH and locale, none of the developer's platform logins, secrets, AWS
 * settings or npm variables of this run, a throwaway HOME, telemetry, update checks and prompts off.
 */
export function deployEnv(workspace: Workspace, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ["PATH", "LANG", "TZ", "TMPDIR"]) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    ...env,
    HOME: workspace.home,
    USERPROFILE: workspace.home,
    CI: "1",
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    NO_UPDATE_NOTIFIER: "1",
    VERCEL_TELEMETRY_DISABLED: "1",
    SLS_TELEMETRY_DISABLED: "1",
    SLS_NOTIFICATIONS_MODE: "off",
    DEPLOY_VERCEL_CLI: workspace.cli,
    DEPLOY_SERVERLESS_CLI: workspace.cli,
    DEPLOY_NETLIFY_CLI: workspace.cli,
    ...extra,
  };
}

export interface ScriptResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion as its own process group, killed whole past `timeoutMs`. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      reject(new Error(`${file} ${args.join(" ")} took over ${options.timeoutMs} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `npm run --silent <script> -- ...args` in the copy. */
export function runScript(
  workspace: Workspace,
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ScriptResult> {
  return runCommand("npm", ["run", "--silent", script, "--", ...args], { cwd: workspace.repo, env, timeoutMs });
}

/** The lines a script printed as `<script>: ...` (its own messages, not the CLI's). */
export function ownLines(result: ScriptResult, script: string): string[] {
  return `${result.stdout}\n${result.stderr}`.split("\n").filter((line) => line.startsWith(`${script}: `));
}
