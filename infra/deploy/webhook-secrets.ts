// The webhook's secrets on their way to the platform, and Commerce Layer's side of a deploy. `npm run commercelayer --
// apply --url <callback URL>` creates one webhook per topic, disabled, and writes their secrets, bound to their topics,
// to .env (COMMERCELAYER_WEBHOOK_TOPIC_SECRETS). Each deploy script reads .env, carries that variable to the platform
// before it deploys, and once the deployment holding it is live runs `enable`, which switches the webhooks on. Only
// variable names, counts and sizes are ever printed, never a value.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseTopicSecrets } from "../../shared/core/topic-secrets.ts";
import { runStep } from "./platform-cli.ts";
import { ROOT, SECRET_VARIABLE, stop, TOPIC_SECRETS_VARIABLE } from "./preflight.ts";

/** The `npm run commercelayer` command's entry: `enable` is run from it after a deploy. */
const COMMERCELAYER_MAIN = "infra/commercelayer/main.ts";

/** What `npm run commercelayer` reads its integration's credentials from (the environment, or the env file). */
const CREDENTIAL_VARIABLES = ["COMMERCELAYER_CLIENT_ID", "COMMERCELAYER_CLIENT_SECRET"] as const;

export interface EnvFile {
  readonly path: string;
  /** `--env-file` as given, handed on to `enable` and to the commands printed; undefined for the project's .env. */
  readonly given: string | undefined;
  /** How the lines name it: `.env`, or the file given. */
  readonly shown: string;
}

/**
 * The project's .env (where `apply` writes the secrets), or the file `--env-file` names, read with Node's own reader:
 * what the shell already sets wins. A missing .env is no error (the shell may hold everything, as in CI).
 */
export function readEnvFile(script: string, given: string | undefined): EnvFile {
  const path = given === undefined ? join(ROOT, ".env") : resolve(given);
  const envFile = { path, given, shown: given ?? ".env" };
  if (!existsSync(path)) {
    if (given !== undefined) stop(`--env-file ${given}: no such file`);
    return envFile;
  }
  process.loadEnvFile(path);
  console.error(`${script}: read ${envFile.shown} (the shell's own variables win)`);
  return envFile;
}

/** The secrets bound to topics found here (.env or the shell), to carry to the platform. */
export interface TopicSecretsHere {
  readonly value: string;
  /** How many topic=secret entries: one per webhook `apply` made. */
  readonly entries: number;
  readonly bytes: number;
}

const variableOf = (name: string): string | undefined => {
  const value = process.env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
};

export function topicSecretsHere(): TopicSecretsHere | undefined {
  const value = variableOf(TOPIC_SECRETS_VARIABLE);
  if (value === undefined) return undefined;
  const entries = [...parseTopicSecrets(value).values()].reduce((count, secrets) => count + secrets.length, 0);
  return { value, entries, bytes: Buffer.byteLength(value) };
}

/** `COMMERCELAYER_WEBHOOK_TOPIC_SECRETS (3 secrets, 212 bytes)`: what the lines say of it. */
export function describeTopicSecrets(secrets: TopicSecretsHere): string {
  return `${TOPIC_SECRETS_VARIABLE} (${secrets.entries} secret${secrets.entries === 1 ? "" : "s"}, ${secrets.bytes} bytes)`;
}

/** `text` with every secret of `secrets` (the whole value, and each entry's secret) replaced by `***`. */
export function withoutSecrets(text: string, secrets: TopicSecretsHere): string {
  let out = text.replaceAll(secrets.value, "***");
  for (const values of parseTopicSecrets(secrets.value).values())
    for (const one of values) out = out.replaceAll(one, "***");
  return out;
}

/** A platform's limit on the environment a function runs with: every variable's name and value, together. */
export interface EnvironmentLimit {
  readonly bytes: number;
  /** Whose limit, as the refusal names it. */
  readonly platform: string;
}

/**
 * AWS Lambda's quota: "4 KB, for all environment variables associated with the function, in aggregate" (Lambda
 * quotas). Netlify's functions run on Lambda and have the same limit.
 */
export const LAMBDA_ENVIRONMENT: EnvironmentLimit = { bytes: 4096, platform: "AWS Lambda" };
/** Vercel: 64 KB of environment variables per deployment, all of them combined. */
export const VERCEL_ENVIRONMENT: EnvironmentLimit = { bytes: 65_536, platform: "Vercel" };

/**
 * Bytes kept for the function's other variables (the queue's URL on AWS, the platform's own, yours): the webhook's
 * secrets may take the rest.
 */
const OTHER_VARIABLES_BYTES = 512;

/**
 * Stops before anything is built when the webhook's secret variables set here (names and values) would not fit in a
 * function's environment. A secret bound to a topic takes about 70 bytes, so about 50 webhooks fill Lambda's 4 KB.
 */
export function checkEnvironmentSize(limit: EnvironmentLimit): void {
  const set = [TOPIC_SECRETS_VARIABLE, SECRET_VARIABLE].filter((name) => variableOf(name) !== undefined);
  const bytes = set.reduce((sum, name) => sum + Buffer.byteLength(name) + Buffer.byteLength(variableOf(name) ?? ""), 0);
  const room = limit.bytes - OTHER_VARIABLES_BYTES;
  if (bytes <= room) return;
  stop(
    `${set.join(" and ")} take ${bytes} bytes, over the ${room} left for them in a function's environment (${limit.platform} allows ${limit.bytes} bytes for all its variables; ${OTHER_VARIABLES_BYTES} are kept for the others): handle fewer topics (name them instead of "*" or "resource.*"), or, for a "*" handler, configure its webhooks by hand with their secrets in ${SECRET_VARIABLE} (no topic names: about 45 bytes a webhook)`,
  );
}

/** Whether `npm run commercelayer` finds its integration's credentials (the shell, or the env file just read). */
export function hasCommerceLayerCredentials(): boolean {
  return CREDENTIAL_VARIABLES.every((name) => variableOf(name) !== undefined);
}

/** `npm run commercelayer -- <verb> [--url URL] [--env-file FILE]`, as the user types it. */
export function commerceLayerCommand(verb: string, envFile: EnvFile, url?: string): string {
  return [
    "npm run commercelayer --",
    verb,
    ...(url === undefined ? [] : ["--url", url]),
    ...(envFile.given === undefined ? [] : ["--env-file", envFile.given]),
  ].join(" ");
}

/**
 * Where the webhooks stand after a deploy, which chooses the command printed next: no secrets here yet (`apply`),
 * secrets deployed but the webhooks not switched on by this deploy (`enable`), or switched on (`status`).
 */
export type WebhookStage = "apply" | "enable" | "status";

/** What a deploy would do with the secrets, for a dry run: the stage it would leave the webhooks at. */
export function plannedStage(carried: TopicSecretsHere | undefined): WebhookStage {
  if (carried === undefined) return "apply";
  return hasCommerceLayerCredentials() ? "status" : "enable";
}

const NO_CREDENTIALS = `no ${CREDENTIAL_VARIABLES.join(" and ")}`;

/**
 * The dry run's account of the secrets: what a deploy would carry where (names and sizes only), and whether it would
 * run `enable` after.
 */
export function sayPlannedHandOver(
  script: string,
  carried: TopicSecretsHere | undefined,
  carriesTo: string,
  envFile: EnvFile,
): void {
  if (carried === undefined) {
    console.log(
      `${script}: a deploy would carry no ${TOPIC_SECRETS_VARIABLE}: there is none in ${envFile.shown} or this shell (\`${commerceLayerCommand("apply", envFile, "<callback URL>")}\` writes it)`,
    );
    return;
  }
  const enable = hasCommerceLayerCredentials()
    ? `then run \`${commerceLayerCommand("enable", envFile)}\``
    : `and not run enable (${NO_CREDENTIALS} in ${envFile.shown} or this shell)`;
  console.log(`${script}: a deploy would carry ${describeTopicSecrets(carried)} ${carriesTo}, deploy, ${enable}`);
}

/**
 * One line when this deploy leaves the webhook without any secret: it is the first deploy, before `apply` (which
 * needs the deployed URL), and the receiver refuses every delivery until the secrets are deployed (fails closed).
 * `where` is where neither variable was found; `carriedFrom`, where a platform that holds the variables itself would
 * have found the secrets bound to topics to carry.
 */
export function sayNoWebhookSecret(script: string, where: string, carriedFrom?: string): void {
  const carry =
    carriedFrom === undefined ? "" : `, and no ${TOPIC_SECRETS_VARIABLE} in ${carriedFrom} or this shell to carry`;
  console.error(
    `${script}: no webhook secret yet (neither ${TOPIC_SECRETS_VARIABLE} nor ${SECRET_VARIABLE} ${where}${carry}): this deployment answers every delivery 500 no_secret_configured until apply's secrets are deployed`,
  );
}

/**
 * After a deploy that succeeded: when it carried the secrets bound to topics and the credentials are here, switches
 * the webhooks on (`enable`), in this process's environment (the env file read) and with the same `--env-file`. A
 * failure is one line and the command to run: the deployment stands, and the deploy still succeeds.
 */
export async function enableAfterDeploy(
  script: string,
  carried: TopicSecretsHere | undefined,
  envFile: EnvFile,
): Promise<WebhookStage> {
  if (carried === undefined) return "apply";
  const command = commerceLayerCommand("enable", envFile);
  if (!hasCommerceLayerCredentials()) {
    console.error(
      `${script}: enable not run: ${NO_CREDENTIALS} in ${envFile.shown} or this shell; run \`${command}\` where they are`,
    );
    return "enable";
  }
  const main = join(ROOT, COMMERCELAYER_MAIN);
  if (!existsSync(main)) {
    console.error(
      `${script}: deployed, but enable could not run (${COMMERCELAYER_MAIN} is missing): run \`${command}\``,
    );
    return "enable";
  }
  const args = ["enable", ...(envFile.given === undefined ? [] : ["--env-file", envFile.path])];
  console.error(`> ${command}`);
  let code: number;
  try {
    // tsx as a loader of this Node.js, as `npm run commercelayer` runs it.
    code = await runStep(process.execPath, ["--import", import.meta.resolve("tsx"), main, ...args]);
  } catch (error) {
    console.error(`${script}: deployed, but enable could not run (${(error as Error).message}): run \`${command}\``);
    return "enable";
  }
  if (code === 0) return "status";
  console.error(
    `${script}: deployed, but enable failed (exit code ${code}): run \`${command}\` once the cause above is fixed`,
  );
  return "enable";
}
