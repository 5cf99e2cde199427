// `npm run commercelayer` as a user runs it, against the Commerce Layer stand-in (test/support/commercelayer-api/):
// the real command in a process of its own (node with tsx's loader, which is what `tsx` starts), or its main() in
// this process where a suite runs it many times. Each workspace is a folder of its own with an env file holding the
// stand-in's credentials (the command reads them from there, as from a user's .env) and a token cache. Every run
// checks that no secret the stand-in holds (a webhook's, an external resource's) appears in what the command printed.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect } from "vitest";
import { main } from "../../infra/commercelayer/main.ts";
import { EXTERNAL_TYPES } from "../support/commercelayer-api/kinds.ts";
import { type CommerceLayerStandIn, startCommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import { RELATIONSHIPS } from "./relationships.ts";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const URL_A = "https://receiver.example/api/webhooks/commercelayer";
export const URL_B = "https://elsewhere.example/webhooks/commercelayer";

export function fixture(name: string): string {
  return join(ROOT, "test/commercelayer/fixtures", name);
}

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Workspace {
  readonly dir: string;
  readonly envFile: string;
  readonly cacheDir: string;
  /** The env file's lines besides the credentials, which the command must keep byte for byte. */
  readonly otherLines: string;
}

const made: string[] = [];

/** Removes every workspace made so far (a suite's afterAll). */
export function removeWorkspaces(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * One stand-in for a suite (the relationships the fixtures include, no limit on token requests), handed to `started`
 * before the first test, closed after the last, with the suite's workspaces removed.
 */
export function useStandIn(started: (standIn: CommerceLayerStandIn) => void): void {
  let standIn: CommerceLayerStandIn | undefined;
  beforeAll(async () => {
    standIn = await startCommerceLayerStandIn({ resourceRelationships: RELATIONSHIPS, tokenRequestsPerMinute: 0 });
    started(standIn);
  });
  afterAll(async () => {
    await standIn?.close();
    removeWorkspaces();
  });
}

/** A folder with an env file (the stand-in's credentials, the token cache, and lines of the user's own). */
export function workspace(
  standIn: CommerceLayerStandIn,
  otherLines = "# my own settings\r\nKEEP_ME=1 # a comment\n",
): Workspace {
  const dir = mkdtempSync(join(tmpdir(), "commercelayer-command-"));
  made.push(dir);
  const cacheDir = join(dir, "token-cache");
  const envFile = join(dir, ".env");
  writeFileSync(
    envFile,
    `${otherLines}COMMERCELAYER_CLIENT_ID=${standIn.clientId}\nCOMMERCELAYER_CLIENT_SECRET=${standIn.clientSecret}\n` +
      `COMMERCELAYER_API_ENDPOINT=${standIn.apiEndpoint}\nCOMMERCELAYER_AUTH_ENDPOINT=${standIn.authEndpoint}\n` +
      `COMMERCELAYER_TOKEN_CACHE_DIR=${cacheDir}\n`,
  );
  return { dir, envFile, cacheDir, otherLines };
}

/** The environment of a machine where nothing of Commerce Layer is set: the env file is the only source. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("COMMERCELAYER_")));
  return { ...env, ...extra };
}

function expectNoSecret(standIn: CommerceLayerStandIn, ran: Ran): void {
  const external = EXTERNAL_TYPES.flatMap((type) => standIn.resources(type).map(({ attributes }) => attributes));
  for (const { shared_secret } of [...standIn.webhooks(), ...external]) {
    if (typeof shared_secret !== "string") continue;
    expect(ran.stdout).not.toContain(shared_secret);
    expect(ran.stderr).not.toContain(shared_secret);
  }
}

/** The command in a process of its own; `env` adds variables to a clean environment. */
export async function spawnCommand(
  standIn: CommerceLayerStandIn,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<Ran> {
  let ran: Ran;
  try {
    const { stdout, stderr } = await run("node", ["--import", "tsx", "infra/commercelayer/main.ts", ...args], {
      cwd: ROOT,
      env: cleanEnv(env),
    });
    ran = { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    ran = { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
  expectNoSecret(standIn, ran);
  return ran;
}

/** The command started in a process of its own, for a test that signals it; resolves when it ends. */
export function startCommand(args: readonly string[]): { child: ReturnType<typeof spawn>; done: Promise<Ran> } {
  const child = spawn("node", ["--import", "tsx", "infra/commercelayer/main.ts", ...args], {
    cwd: ROOT,
    env: cleanEnv({}),
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  const done = new Promise<Ran>((resolve) =>
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr })),
  );
  return { child, done };
}

/** The command's main() in this process, what it printed captured. */
export async function runCommand(standIn: CommerceLayerStandIn, args: readonly string[]): Promise<Ran> {
  const printed = { stdout: "", stderr: "" };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const capture = (stream: "stdout" | "stderr") =>
    ((chunk: string | Uint8Array) => {
      printed[stream] += String(chunk);
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture("stdout");
  process.stderr.write = capture("stderr");
  let code: number;
  try {
    code = await main(args);
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
  const ran = { code, ...printed };
  expectNoSecret(standIn, ran);
  return ran;
}

/** An external handlers file implementing nothing: the default of every run in a workspace (see inWorkspace). */
export const NO_EXTERNAL = fixture("external-none.ts");

const TAKES_EXTERNAL = ["plan", "apply", "enable", "status", "reset"];

/**
 * The arguments every run in a workspace shares: its env file, and, unless the run names its own, an external
 * handlers file implementing nothing, so that no suite reads functions/external.ts (the user's).
 */
export function inWorkspace(space: Workspace, ...args: string[]): string[] {
  const external =
    TAKES_EXTERNAL.includes(args[0] ?? "") && !args.includes("--external-handlers")
      ? ["--external-handlers", NO_EXTERNAL]
      : [];
  return [...args, ...external, "--env-file", space.envFile];
}

/** What a failure must look like: one line on stderr, no stack trace. */
export function expectOneLine(ran: Ran, ...fragments: (string | RegExp)[]): void {
  const lines = ran.stderr.trimEnd().split("\n");
  expect(lines, ran.stderr).toHaveLength(1);
  expect(ran.stderr).not.toMatch(/^\s+at /m);
  for (const fragment of fragments) expect(lines[0]).toMatch(fragment);
}
