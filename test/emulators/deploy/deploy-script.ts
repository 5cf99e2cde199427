// Runs `npm run deploy:<platform>` as a user would, in a copy of the repository (copyRepository: the files git would
// push, handlers re-exported from test/fixtures/handlers.ts, node_modules linked), with a clean environment (no login,
// no secret, a throwaway HOME) and the platform CLI pointed, through DEPLOY_<NAME>_CLI, at a recorder: a small script
// that notes each command line and then runs the emulator package's real CLI. The recorder shows which CLI commands a
// deploy script ran, so a test can tell that nothing was deployed. With DEPLOY_TEST_REPLAY (replayEnv), the recorder
// answers one command (`deploy`) itself, with what the real CLI prints after a deployment (a transcript written in the
// CLI's format; each test also checks that the pinned CLI's source still prints that format), since nothing here can
// reach a real platform. Every other command still runs the real CLI. For a file named in a command line (the file
// netlify's `env:import` reads), the recorder also notes its permissions at the time of the call.
// In the copy, infra/commercelayer/main.ts can be replaced by a stand-in (stubCommerceLayerCommand) that notes how the
// deploy ran `enable`; writeEnvFile writes the copy's .env, as `npm run commercelayer -- apply` would.
import { spawn } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import { MINIMUM_NODE_MAJOR } from "../../../infra/deploy/node-runtime.ts";
import { EXTERNAL_KINDS } from "../../../shared/external/kinds.ts";
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
  /** The files named in the command lines the recorder saw, with their permission bits (`0o600`) then. */
  fileArguments(): { path: string; mode: number }[];
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
  const files = join(temp, "cli-files.jsonl");
  const cli = join(temp, "recorded-cli.cjs");
  writeFileSync(
    cli,
    `#!/usr/bin/env node
// Notes the command line, then runs the real CLI with the same arguments, streams and exit code; or, for the command
// DEPLOY_TEST_REPLAY names, prints that file's transcript instead.
const { appendFileSync, readFileSync, statSync } = require("node:fs");
const { isAbsolute } = require("node:path");
const { spawnSync } = require("node:child_process");
appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + "\\n");
for (const arg of process.argv.slice(2)) {
  const stat = isAbsolute(arg) ? statSync(arg, { throwIfNoEntry: false }) : undefined;
  if (stat?.isFile()) appendFileSync(${JSON.stringify(files)}, JSON.stringify({ path: arg, mode: stat.mode & 0o777 }) + "\\n");
}
const replay = process.env.DEPLOY_TEST_REPLAY && JSON.parse(readFileSync(process.env.DEPLOY_TEST_REPLAY, "utf8"));
if (replay && process.argv[2] === replay.command) {
  process.stdout.write(replay.stdout);
  process.stderr.write(replay.stderr);
  process.exitCode = replay.code;
} else {
  const run = spawnSync(${JSON.stringify(realCli)}, process.argv.slice(2), { stdio: "inherit" });
  process.exit(run.status === null ? 1 : run.status);
}
`,
  );
  chmodSync(cli, 0o755);
  writeFileSync(log, "");
  writeFileSync(files, "");
  const readLines = <T>(path: string): T[] =>
    readFileSync(path, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as T);
  return {
    temp,
    repo,
    home,
    cli,
    calls: () => readLines<string[]>(log),
    fileArguments: () => readLines<{ path: string; mode: number }>(files),
    resetCalls: () => {
      writeFileSync(log, "");
      writeFileSync(files, "");
    },
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

/** What the platform CLI prints for one command, played back by the recorder instead of running it. */
export interface Transcript {
  readonly command: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** The variable that makes the workspace's recorder play `transcript` back (merge it into deployEnv's extra). */
export function replayEnv(workspace: Workspace, transcript: Transcript): Record<string, string> {
  const file = join(workspace.temp, "replay.json");
  writeFileSync(file, JSON.stringify(transcript));
  return { DEPLOY_TEST_REPLAY: file };
}

/** The text of every file under `dir` (a CLI's built sources), to check that it still prints what a test parses. */
export function sourcesOf(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.[cm]?js$/.test(entry.name))
    .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8"))
    .join("\n");
}

/** A runtime the platform deploys the functions on: a Lambda-style Node.js name, Node 22 or later. */
export function expectNode22OrLater(runtime: unknown, where: string): void {
  expect(runtime, where).toMatch(/^nodejs\d+\.x$/);
  expect(Number(/^nodejs(\d+)\.x$/.exec(String(runtime))?.[1]), where).toBeGreaterThanOrEqual(MINIMUM_NODE_MAJOR);
}

/**
 * The script's one line about the Node.js running it: there when that Node is older than 22 (it is on the machine
 * that runs these suites with Node 20), naming the runtime the functions get and the file pinning it; absent otherwise.
 */
export function expectLocalNodeLine(result: ScriptResult, script: string, runtime: string, file: string): void {
  const said = ownLines(result, script).filter((line) => line.includes(" runs this deploy"));
  const local = process.versions.node;
  if (Number(local.split(".")[0]) >= MINIMUM_NODE_MAJOR) {
    expect(said).toEqual([]);
    return;
  }
  expect(said).toEqual([
    `${script}: Node ${local} runs this deploy (end of life); the functions run ${runtime}, pinned in ${file}. Use Node 22+ here too (nvm use 22)`,
  ]);
}

/**
 * The lines the script's stdout ends with, from the webhook's URL on: the URLs for Commerce Layer and the next step,
 * which nothing may follow.
 */
export function endingLines(result: ScriptResult, script: string): string[] {
  const lines = result.stdout.trimEnd().split("\n");
  const start = lines.findIndex((line) => line.startsWith(`${script}: webhooks.callback_url: `));
  expect(start, `${script} printed no webhooks.callback_url line:\n${result.stdout}`).toBeGreaterThanOrEqual(0);
  return lines.slice(start);
}

/** The `<resource>.<attribute>: <url>` lines, as [setting, url] pairs, and the lines after them. */
export function splitUrlLines(ending: readonly string[], script: string): { urls: [string, string][]; rest: string[] } {
  const pattern = new RegExp(`^${script}: ([a-z_]+\\.[a-z_]+): (https://\\S+)$`);
  const urls: [string, string][] = [];
  let index = 0;
  for (; index < ending.length; index++) {
    const match = pattern.exec(ending[index] ?? "");
    if (!match) break;
    urls.push([match[1] ?? "", match[2] ?? ""]);
  }
  return { urls, rest: ending.slice(index) };
}

/**
 * Secrets bound to topics as `npm run commercelayer -- apply` writes them (base64, with `+`, `/` and `=`), for the copy's
 * .env: made up for these tests, valid nowhere.
 */
export const TOPIC_SECRETS = {
  "orders.place": "dGVzdC1wbGFjZS1zZWNyZXQ+/w1Zq9",
  "orders.cancel": "dGVzdC1jYW5jZWwtc2VjcmV0/+aB7==",
};
export const TOPIC_SECRETS_VALUE = Object.entries(TOPIC_SECRETS)
  .map(([topic, secret]) => `${topic}=${secret}`)
  .join(",");
/**
 * The copy's functions/external.ts when a test wants two kinds of two resources (the tax calculator's and the
 * market's): test/fixtures/external-some-handlers.ts. Otherwise the copy implements every kind (copyRepository).
 */
export const SOME_EXTERNAL_HANDLERS = `// Written by test/emulators/deploy: two external kinds.
export { externalHandlers } from "../test/fixtures/external-some-handlers.ts";
`;
/**
 * The secrets of those two kinds' resources as `npm run commercelayer -- apply` writes them to .env (two markets:
 * comma-separated), made up for these tests, valid nowhere.
 */
export const EXTERNAL_SECRETS = {
  COMMERCELAYER_TAX_CALCULATOR_SECRET: "dGF4LWNhbGN1bGF0b3Itc2VjcmV0LXRlc3Q",
  COMMERCELAYER_MARKET_SECRET: "bWFya2V0LWV1LXNlY3JldC10ZXN0,bWFya2V0LXVzLXNlY3JldC10ZXN0",
};
/** What the lines say of each of EXTERNAL_SECRETS when carried: its name, how many secrets, its bytes. */
export const EXTERNAL_CARRIED = {
  COMMERCELAYER_TAX_CALCULATOR_SECRET: `COMMERCELAYER_TAX_CALCULATOR_SECRET (1 secret, ${EXTERNAL_SECRETS.COMMERCELAYER_TAX_CALCULATOR_SECRET.length} bytes)`,
  COMMERCELAYER_MARKET_SECRET: `COMMERCELAYER_MARKET_SECRET (2 secrets, ${EXTERNAL_SECRETS.COMMERCELAYER_MARKET_SECRET.length} bytes)`,
};
/** The integration's credentials `npm run commercelayer` reads, made up. */
export const COMMERCELAYER_CREDENTIALS = {
  COMMERCELAYER_CLIENT_ID: "client-id-for-the-deploy-tests",
  COMMERCELAYER_CLIENT_SECRET: "client-secret-for-the-deploy-tests",
};

/** Writes the copy's .env (or removes it, given undefined): `NAME=value` lines, as apply writes them. */
export function writeEnvFile(workspace: Workspace, variables: Record<string, string> | undefined): void {
  const path = join(workspace.repo, ".env");
  if (variables === undefined) {
    rmSync(path, { force: true });
    return;
  }
  const lines = Object.entries(variables).map(([name, value]) => `${name}=${value}\n`);
  writeFileSync(path, lines.join(""), { mode: 0o600 });
}

/** How the deploy ran the stand-in of `npm run commercelayer` (stubCommerceLayerCommand), one entry per run. */
export interface CommerceLayerRun {
  readonly args: string[];
  /** Whether the integration's credentials reached it (from the copy's .env, through the deploy's environment). */
  readonly credentials: boolean;
  /** Whether the secrets bound to topics were in its environment. */
  readonly topicSecrets: boolean;
  /** The external kinds' secret variables set in its environment (what enable checks before pointing a resource). */
  readonly externalSecrets: string[];
}

/** Every external kind's secret variable, once each. */
const EXTERNAL_VARIABLES = [...new Set(Object.values(EXTERNAL_KINDS).map((kind) => kind.secretEnv))];

/**
 * Replaces the copy's infra/commercelayer/main.ts with a stand-in that notes how it was run and exits with `exitCode`
 * (`undefined`: removes the file, as in a checkout where the command does not exist yet). Returns the notes' reader.
 */
export function stubCommerceLayerCommand(workspace: Workspace, exitCode: number | undefined): () => CommerceLayerRun[] {
  const main = join(workspace.repo, "infra/commercelayer/main.ts");
  const log = join(workspace.temp, "commercelayer-runs.jsonl");
  writeFileSync(log, "");
  if (exitCode === undefined) rmSync(main, { force: true });
  else {
    mkdirSync(dirname(main), { recursive: true });
    writeFileSync(
      main,
      `// Written by test/emulators/deploy/deploy-script.ts: stands in for \`npm run commercelayer\` and notes how it was run.
import { appendFileSync } from "node:fs";
const set = (name: string) => (process.env[name] ?? "") !== "";
appendFileSync(${JSON.stringify(log)}, \`\${JSON.stringify({
  args: process.argv.slice(2),
  credentials: set("COMMERCELAYER_CLIENT_ID") && set("COMMERCELAYER_CLIENT_SECRET"),
  topicSecrets: set("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS"),
  externalSecrets: ${JSON.stringify(EXTERNAL_VARIABLES)}.filter(set),
})}\\n\`);
console.log(${exitCode === 0 ? '"2 enabled, 0 were already."' : '"commercelayer: the stand-in fails, as asked"'});
process.exitCode = ${exitCode};
`,
    );
  }
  return () =>
    readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as CommerceLayerRun);
}

/**
 * Neither the topic secrets' value nor any one of its secrets, nor the external kinds' (each value, and each secret in
 * it), nor the client secret, is in `text`.
 */
export function expectNoSecretIn(text: string, where: string): void {
  for (const secret of [
    TOPIC_SECRETS_VALUE,
    ...Object.values(TOPIC_SECRETS),
    ...Object.values(EXTERNAL_SECRETS).flatMap((value) => [value, ...value.split(",")]),
    COMMERCELAYER_CREDENTIALS.COMMERCELAYER_CLIENT_SECRET,
  ])
    expect(text.includes(secret), `${where} holds a secret`).toBe(false);
}
