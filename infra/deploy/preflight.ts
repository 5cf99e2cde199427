// What the three deploy scripts share: their options, the one-line failure, the checks' building blocks, and the
// build. Every check runs before the build and before the platform CLI uploads anything, so a missing login or
// external resource's secret costs seconds, not a build and a broken deployment. A webhook without any secret yet is
// no stop: the first deploy comes before `npm run commercelayer -- apply`, which needs its URL (webhook-secrets.ts).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SECRET_ENV } from "../../shared/core/env.ts";
import { TOPIC_SECRETS_ENV } from "../../shared/core/topic-secrets.ts";
import { EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { EXTERNAL_HANDLERS_FILE, implementedExternalKinds } from "../build/external-deploy.ts";
import {
  type Captured,
  commandLine,
  type ResolvedCli,
  runCli,
  runStep,
  runWatched,
  type WatchedStreams,
} from "./platform-cli.ts";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The variable the deployed functions read the webhook's plain shared secrets from, for any topic (docs/environment.md). */
export const SECRET_VARIABLE = SECRET_ENV;

/**
 * The variable holding the webhooks' secrets bound to their topics, which `npm run commercelayer -- apply` writes to
 * .env and the deploy scripts carry to the platform.
 */
export const TOPIC_SECRETS_VARIABLE = TOPIC_SECRETS_ENV;

/** The webhook needs one of these; with neither, the receiver refuses every delivery (fails closed). */
export const WEBHOOK_SECRET_VARIABLES = [TOPIC_SECRETS_VARIABLE, SECRET_VARIABLE] as const;

/**
 * The secret variable of each Commerce Layer resource whose kinds functions/external.ts implements
 * (shared/external/kinds.ts). A kind deployed without its secret answers every call 500, so each is checked before
 * anything is built or uploaded: the deploy carries it from .env or the shell, or (Vercel, Netlify) the platform holds
 * it already.
 */
export function externalSecretVariables(kinds: readonly ExternalKind[]): string[] {
  return [...new Set(kinds.map((kind) => EXTERNAL_KINDS[kind].secretEnv))];
}

/** The external kinds functions/external.ts implements: the ones deployed, each at a URL of its own. */
export async function implementedKinds(): Promise<ExternalKind[]> {
  try {
    return await implementedExternalKinds(join(ROOT, EXTERNAL_HANDLERS_FILE), ROOT);
  } catch (error) {
    stop(`${EXTERNAL_HANDLERS_FILE} does not load: ${(error as Error).message.split("\n")[0]}`);
  }
}

export class DeployStop extends Error {}

/** Stops the script with one line on stderr and exit code 1: what is missing and the command that fixes it. */
export function stop(message: string): never {
  throw new DeployStop(message);
}

export interface DeployOptions {
  /** Build and run the CLI's offline step only; no login, no secret, nothing uploaded. */
  readonly dryRun: boolean;
  /** Vercel and Netlify: deploy without checking that the platform holds the secret. */
  readonly skipSecretCheck: boolean;
  /** AWS: deploy without looking for credentials (an EC2 instance role, which only the AWS SDK can find). */
  readonly skipLoginCheck: boolean;
  /** `--env-file FILE`: read instead of the project's .env (as `npm start` and `npm run commercelayer` take it). */
  readonly envFile: string | undefined;
  /** Everything else on the command line, handed to the CLI's deploy command (e.g. `--stage prod`). */
  readonly passThrough: readonly string[];
}

export function parseDeployOptions(argv: readonly string[]): DeployOptions {
  const { values, tokens } = parseArgs({
    args: [...argv],
    options: {
      "dry-run": { type: "boolean" },
      "skip-secret-check": { type: "boolean" },
      "skip-login-check": { type: "boolean" },
      "env-file": { type: "string" },
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const ours = new Set(["dry-run", "skip-secret-check", "skip-login-check", "env-file"]);
  const passThrough = tokens.flatMap((token) => {
    if (token.kind === "option")
      return ours.has(token.name) ? [] : [token.rawName, ...(token.value ? [token.value] : [])];
    if (token.kind === "positional") return [token.value];
    return [];
  });
  if (values["env-file"] === true) stop("--env-file needs a file: --env-file FILE");
  return {
    dryRun: values["dry-run"] === true,
    skipSecretCheck: values["skip-secret-check"] === true,
    skipLoginCheck: values["skip-login-check"] === true,
    envFile: typeof values["env-file"] === "string" ? values["env-file"] : undefined,
    passThrough,
  };
}

/** A CLI's output without its colour codes and cursor moves (vercel erases lines), for reading what it said. */
export function withoutColours(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the ANSI sequences the CLIs write.
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");
}

/** The last line a CLI wrote that says something (its error, usually), without colours. */
export function lastLine(result: Captured): string {
  const plain = withoutColours(`${result.stdout}\n${result.stderr}`);
  const lines = plain
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  return lines.at(-1) ?? `exit code ${result.code}`;
}

export function readJsonFile(path: string): unknown {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as unknown) : undefined;
}

export function repositoryFile(path: string): string {
  return join(ROOT, path);
}

/** `npm run build:deploy`: writes dist/ (and .vercel/output) from functions/handlers.ts, without the .d.mts files. */
export async function build(): Promise<void> {
  const code = await runStep("npm", ["run", "build:deploy"]);
  if (code !== 0) stop(`npm run build:deploy failed (exit code ${code}): nothing was deployed`);
}

/** Runs the CLI's deploy (or offline) step in the foreground and stops with its exit code if it fails. */
export async function runOrStop(cli: ResolvedCli, args: readonly string[]): Promise<void> {
  console.error(`> ${commandLine(cli, args)}`);
  const code = await runCli(cli, args);
  if (code !== 0) stop(`${commandLine(cli, args)} failed (exit code ${code})`);
}

/**
 * Runs the CLI's deploy in the foreground as runOrStop does, keeping what it printed on the watched streams (where
 * the deployed URL is), and stops with its exit code if it fails.
 */
export async function runWatchedOrStop(
  cli: ResolvedCli,
  args: readonly string[],
  watched: WatchedStreams,
): Promise<Captured> {
  console.error(`> ${commandLine(cli, args)}`);
  const result = await runWatched(cli, args, watched);
  if (result.code !== 0) stop(`${commandLine(cli, args)} failed (exit code ${result.code})`);
  return result;
}

/** Runs a deploy script's main function: a DeployStop becomes its one line and exit code 1. */
export async function main(script: string, run: (options: DeployOptions) => Promise<void>): Promise<void> {
  try {
    await run(parseDeployOptions(process.argv.slice(2)));
  } catch (error) {
    if (!(error instanceof DeployStop)) throw error;
    console.error(`${script}: ${error.message}`);
    process.exitCode = 1;
  }
}
