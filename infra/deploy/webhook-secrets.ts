// The secrets on their way to the platform, and Commerce Layer's side of a deploy. `npm run commercelayer -- apply --url
// <callback URL>` creates one webhook per topic, disabled, and writes their secrets, bound to their topics, to .env
// (COMMERCELAYER_WEBHOOK_TOPIC_SECRETS); for each external kind functions/external.ts implements, `apply` reads the
// shared_secret of the resource it is attached to into .env, under the kind's variable (shared/external/kinds.ts). Each
// deploy script reads .env, carries those variables to the platform before it deploys, and once the deployment holding
// them is live runs `enable --external-url <prefix>`, which switches the webhooks on and points the attached resources
// at the deployment: Commerce Layer never calls a deployment that does not hold the secret yet. Only variable names,
// counts and sizes are ever printed, never a value; a value never goes in a command's arguments.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseSecretList } from "../../shared/core/env.ts";
import { parseTopicSecrets } from "../../shared/core/topic-secrets.ts";
import type { ExternalKind } from "../../shared/external/kinds.ts";
import { runStep } from "./platform-cli.ts";
import {
  externalSecretVariables,
  ROOT,
  SECRET_VARIABLE,
  stop,
  TOPIC_SECRETS_VARIABLE,
  WEBHOOK_SECRET_VARIABLES,
} from "./preflight.ts";

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

/** Which deployed functions read a carried variable: the webhook's two, or the external-resource function. */
export type Reader = "webhook" | "external";

/**
 * A secret variable found here (.env or the shell) that a deploy carries to the platform: the webhook's secrets bound
 * to topics, which `apply --url` writes, or the secret of an external kind functions/external.ts implements, which
 * `apply` reads from the resource it is attached to.
 */
export interface CarriedVariable {
  readonly name: string;
  readonly value: string;
  readonly reader: Reader;
  /** How many secrets it holds: one per webhook `apply` made (topic=secret entries), or per attached resource. */
  readonly secrets: number;
  readonly bytes: number;
}

const variableOf = (name: string): string | undefined => {
  const value = process.env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
};

/** The secrets one variable holds, each on its own: what no line may show. */
function secretsOf(variable: Pick<CarriedVariable, "reader" | "value">): string[] {
  if (variable.reader === "external") return parseSecretList(variable.value);
  return [...parseTopicSecrets(variable.value).values()].flat();
}

/**
 * What a deploy carries, in this order: COMMERCELAYER_WEBHOOK_TOPIC_SECRETS, then the variable of each external kind
 * in `kinds` (the ones functions/external.ts implements), each when it is set here.
 */
export function carriedVariables(kinds: readonly ExternalKind[]): CarriedVariable[] {
  const wanted: [string, Reader][] = [
    [TOPIC_SECRETS_VARIABLE, "webhook"],
    ...externalSecretVariables(kinds).map((name): [string, Reader] => [name, "external"]),
  ];
  return wanted.flatMap(([name, reader]) => {
    const value = variableOf(name);
    if (value === undefined) return [];
    return [{ name, value, reader, secrets: secretsOf({ reader, value }).length, bytes: Buffer.byteLength(value) }];
  });
}

/** Whether the webhook's secrets bound to topics are among what is carried. */
export const carriesWebhookSecrets = (carried: readonly CarriedVariable[]): boolean =>
  carried.some((variable) => variable.reader === "webhook");

/** `A`, `A and B`, `A, B and C`. */
export function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** `COMMERCELAYER_WEBHOOK_TOPIC_SECRETS (3 secrets, 212 bytes)`: what the lines say of a variable. */
export function describeVariable(variable: CarriedVariable): string {
  return `${variable.name} (${variable.secrets} secret${variable.secrets === 1 ? "" : "s"}, ${variable.bytes} bytes)`;
}

/**
 * The variables and where each goes, as one phrase: `A (..) and B (..) to the Vercel project's ...`, or, where the two
 * readers' variables go to different places (AWS: each function's own environment), `A (..) into ..., and B (..) into
 * ...`.
 */
export function describeCarried(carried: readonly CarriedVariable[], to: Readonly<Record<Reader, string>>): string {
  const places: { to: string; names: string[] }[] = [];
  for (const variable of carried) {
    const place = places.find((one) => one.to === to[variable.reader]);
    if (place === undefined) places.push({ to: to[variable.reader], names: [describeVariable(variable)] });
    else place.names.push(describeVariable(variable));
  }
  return places.map((place) => `${listed(place.names)} ${place.to}`).join(", and ");
}

/** `text` with every carried value, and every secret in it, replaced by `***`. */
export function withoutSecrets(text: string, carried: readonly CarriedVariable[]): string {
  const hidden = carried.flatMap((variable) => [variable.value, ...secretsOf(variable)]);
  // The longest first: a secret that is part of a longer value must not leave the rest of it behind.
  hidden.sort((a, b) => b.length - a.length);
  return hidden.reduce((out, secret) => out.replaceAll(secret, "***"), text);
}

/** A platform's limit on the environment a function runs with: every variable's name and value, together. */
export interface EnvironmentLimit {
  readonly bytes: number;
  /** Whose limit, as the refusal names it. */
  readonly platform: string;
  /**
   * Whether each function holds only its own readers' variables (AWS: serverless.yml gives the webhook's secrets to the
   * two webhook functions and the kinds' to the external one), or every function all of them (Netlify gives every
   * Functions variable to every function of the site; Vercel counts all the deployment's variables together).
   */
  readonly perFunction: boolean;
}

/**
 * AWS Lambda's quota: "4 KB, for all environment variables associated with the function, in aggregate" (Lambda
 * quotas).
 */
export const LAMBDA_ENVIRONMENT: EnvironmentLimit = { bytes: 4096, platform: "AWS Lambda", perFunction: true };
/**
 * Netlify's functions run on Lambda and have the same limit, and a site's Functions variables go to every function
 * of the site: the webhook's and the external kinds' secrets share one environment.
 */
export const NETLIFY_ENVIRONMENT: EnvironmentLimit = { ...LAMBDA_ENVIRONMENT, perFunction: false };
/** Vercel: 64 KB of environment variables per deployment, all of them combined. */
export const VERCEL_ENVIRONMENT: EnvironmentLimit = { bytes: 65_536, platform: "Vercel", perFunction: false };

/**
 * Bytes kept for the function's other variables (the queue's URL on AWS, the platform's own, yours): the secrets may
 * take the rest.
 */
const OTHER_VARIABLES_BYTES = 512;

const WEBHOOK_ADVICE = `handle fewer topics (name them instead of "*" or "resource.*"), or, for a "*" handler, configure its webhooks by hand with their secrets in ${SECRET_VARIABLE} (no topic names: about 45 bytes a webhook)`;
const EXTERNAL_ADVICE =
  "attach fewer resources to a kind in functions/external-attachments.ts (each adds its shared_secret to its kind's variable)";

/**
 * Stops before anything is built when the secret variables set here (names and values) would not fit in a function's
 * environment: the webhook's two (COMMERCELAYER_WEBHOOK_SECRET too, which is not carried but deployed on AWS and
 * counted on the others) and the variable of each kind in `kinds`, per function where each function has its own, all
 * together where they share one. A secret bound to a topic takes about 70 bytes, so about 50 webhooks fill Lambda's
 * 4 KB.
 */
export function checkEnvironmentSize(limit: EnvironmentLimit, kinds: readonly ExternalKind[]): void {
  const webhook = [TOPIC_SECRETS_VARIABLE, SECRET_VARIABLE];
  const external = externalSecretVariables(kinds);
  const environments = limit.perFunction
    ? [
        { of: "a function's environment", names: webhook },
        { of: "the environment of commercelayer-external", names: external },
      ]
    : [{ of: "a function's environment", names: [...webhook, ...external] }];
  const room = limit.bytes - OTHER_VARIABLES_BYTES;
  for (const environment of environments) {
    const set = environment.names.filter((name) => variableOf(name) !== undefined);
    const bytes = set.reduce(
      (sum, name) => sum + Buffer.byteLength(name) + Buffer.byteLength(variableOf(name) ?? ""),
      0,
    );
    if (bytes <= room) continue;
    const advice = [
      ...(set.some((name) => webhook.includes(name)) ? [WEBHOOK_ADVICE] : []),
      ...(set.some((name) => external.includes(name)) ? [EXTERNAL_ADVICE] : []),
    ].join("; or ");
    stop(
      `${listed(set)} take ${bytes} bytes, over the ${room} left for them in ${environment.of} (${limit.platform} allows ${limit.bytes} bytes for all its variables; ${OTHER_VARIABLES_BYTES} are kept for the others): ${advice}`,
    );
  }
}

/** Whether `npm run commercelayer` finds its integration's credentials (the shell, or the env file just read). */
export function hasCommerceLayerCredentials(): boolean {
  return CREDENTIAL_VARIABLES.every((name) => variableOf(name) !== undefined);
}

/**
 * `npm run commercelayer -- <verb> [--url URL] [--external-url PREFIX] [--env-file FILE]`, as the user types it.
 */
export function commerceLayerCommand(verb: string, envFile: EnvFile, url?: string, externalUrl?: string): string {
  return [
    "npm run commercelayer --",
    verb,
    ...(url === undefined ? [] : ["--url", url]),
    ...(externalUrl === undefined ? [] : ["--external-url", externalUrl]),
    ...(envFile.given === undefined ? [] : ["--env-file", envFile.given]),
  ].join(" ");
}

/**
 * Where the external kinds are deployed, without the kind: `enable --external-url` points each attached resource's URL
 * fields at `<prefix>/<kind>` (next-steps.ts's externalTarget; none where functions/external.ts implements no kind).
 */
export interface ExternalTarget {
  readonly prefix: string;
  /** False when the host is a placeholder (a dry run, or a deploy whose CLI printed none): not for running enable. */
  readonly deployed: boolean;
}

/**
 * Where Commerce Layer's side stands after a deploy, which chooses the command printed next: the webhooks' secrets not
 * here yet (`apply`), secrets deployed but not switched on by this deploy (`enable`), or switched on (`status`).
 */
export type CommerceLayerStage = "apply" | "enable" | "status";

/**
 * The stage a deploy leaves: `apply` while the webhook's secrets bound to topics are not carried (the external
 * resources' may be, and `enable` then points them at the deployment all the same), else `status` once `enable` ran.
 */
function stageAfter(carried: readonly CarriedVariable[], enabled: boolean): CommerceLayerStage {
  if (!carriesWebhookSecrets(carried)) return "apply";
  return enabled ? "status" : "enable";
}

/** What a deploy would do with the secrets, for a dry run: the stage it would leave Commerce Layer's side at. */
export function plannedStage(carried: readonly CarriedVariable[]): CommerceLayerStage {
  return stageAfter(carried, carried.length > 0 && hasCommerceLayerCredentials());
}

const NO_CREDENTIALS = `no ${CREDENTIAL_VARIABLES.join(" and ")}`;

/** What a dry run says of the secrets, for one platform. */
export interface PlannedHandOver {
  readonly script: string;
  readonly carried: readonly CarriedVariable[];
  readonly kinds: readonly ExternalKind[];
  /** Where each reader's variables go, as the line says it. */
  readonly carriesTo: Readonly<Record<Reader, string>>;
  readonly envFile: EnvFile;
  readonly external: ExternalTarget | undefined;
  /** Where a kind's variable not found here must already be (Vercel, Netlify); undefined where the deploy stops. */
  readonly heldBy?: string;
}

/**
 * The dry run's account of the secrets: what a deploy would carry where (names and sizes only), and the `enable` it
 * would run after.
 */
export function sayPlannedHandOver(plan: PlannedHandOver): void {
  const { script, carried, envFile } = plan;
  const wanted = [TOPIC_SECRETS_VARIABLE, ...externalSecretVariables(plan.kinds)];
  if (carried.length === 0) {
    const none =
      wanted.length === 1
        ? `no ${TOPIC_SECRETS_VARIABLE}: there is none in ${envFile.shown} or this shell`
        : `no secret: none of ${listed(wanted)} is in ${envFile.shown} or this shell`;
    console.log(
      `${script}: a deploy would carry ${none} (\`${commerceLayerCommand("apply", envFile, "<callback URL>")}\` writes ${wanted.length === 1 ? "it" : "them"})`,
    );
    return;
  }
  const enable = hasCommerceLayerCredentials()
    ? `then run \`${commerceLayerCommand("enable", envFile, undefined, plan.external?.prefix)}\``
    : `and not run enable (${NO_CREDENTIALS} in ${envFile.shown} or this shell)`;
  const absent = externalSecretVariables(plan.kinds).filter(
    (name) => !carried.some((variable) => variable.name === name),
  );
  const held =
    absent.length === 0 || plan.heldBy === undefined
      ? ""
      : ` (${listed(absent)}: not here, so ${plan.heldBy} must hold ${absent.length === 1 ? "it" : "them"} already)`;
  console.log(`${script}: a deploy would carry ${describeCarried(carried, plan.carriesTo)}, deploy, ${enable}${held}`);
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

/** Where a platform that holds the variables itself keeps them, as the lines say it. */
export interface HeldOnPlatform {
  readonly script: string;
  /** Completes "… is not in .env or this shell to carry, nor …": where the platform would hold a kind's secret. */
  readonly holds: string;
  /** Completes "neither variable …": where the platform would hold a webhook secret. */
  readonly holdsWebhook: string;
  /** The platform CLI's command that sets a variable by hand. */
  setIt(variable: string): string;
}

/**
 * The secrets check of a platform that holds the variables (Vercel, Netlify), on the names it listed: stops when an
 * implemented kind's secret is neither carried from here nor held there; says so when no webhook secret is either.
 */
export function checkHeldSecrets(
  platform: HeldOnPlatform,
  keys: readonly string[],
  kinds: readonly ExternalKind[],
  carried: readonly CarriedVariable[],
  envFile: EnvFile,
): void {
  const missing = externalSecretVariables(kinds).find(
    (variable) => !keys.includes(variable) && !carried.some((one) => one.name === variable),
  );
  if (missing !== undefined) {
    stop(
      `${missing} is not in ${envFile.shown} or this shell to carry, nor ${platform.holds}: run \`${commerceLayerCommand("apply", envFile)}\` (it reads the attached resources' secrets into ${envFile.shown}), or ${platform.setIt(missing)}, then deploy again`,
    );
  }
  if (!carriesWebhookSecrets(carried) && !WEBHOOK_SECRET_VARIABLES.some((variable) => keys.includes(variable))) {
    sayNoWebhookSecret(platform.script, platform.holdsWebhook, envFile.shown);
  }
}

/**
 * After a deploy that succeeded: when it carried any secret (the webhook's, or an external kind's) and the
 * credentials are here, runs `enable`, in this process's environment (the env file read) and with the same
 * `--env-file`, and with `--external-url` where kinds are deployed: it switches the webhooks on and points the attached
 * resources at the deployment, each only once its secret is deployed. A failure is one line and the command to run:
 * the deployment stands, and the deploy still succeeds.
 */
export async function enableAfterDeploy(
  script: string,
  carried: readonly CarriedVariable[],
  envFile: EnvFile,
  external: ExternalTarget | undefined,
): Promise<CommerceLayerStage> {
  if (carried.length === 0) return "apply";
  const command = commerceLayerCommand("enable", envFile, undefined, external?.prefix);
  if (!hasCommerceLayerCredentials()) {
    console.error(
      `${script}: enable not run: ${NO_CREDENTIALS} in ${envFile.shown} or this shell; run \`${command}\` where they are`,
    );
    return stageAfter(carried, false);
  }
  if (external !== undefined && !external.deployed) {
    console.error(
      `${script}: enable not run: the deployed host is not in what the deploy printed, and the external resources' URLs start with it; run \`${command}\` with the host (below)`,
    );
    return stageAfter(carried, false);
  }
  const main = join(ROOT, COMMERCELAYER_MAIN);
  if (!existsSync(main)) {
    console.error(
      `${script}: deployed, but enable could not run (${COMMERCELAYER_MAIN} is missing): run \`${command}\``,
    );
    return stageAfter(carried, false);
  }
  const args = [
    "enable",
    ...(external === undefined ? [] : ["--external-url", external.prefix]),
    ...(envFile.given === undefined ? [] : ["--env-file", envFile.path]),
  ];
  console.error(`> ${command}`);
  let code: number;
  try {
    // tsx as a loader of this Node.js, as `npm run commercelayer` runs it.
    code = await runStep(process.execPath, ["--import", import.meta.resolve("tsx"), main, ...args]);
  } catch (error) {
    console.error(`${script}: deployed, but enable could not run (${(error as Error).message}): run \`${command}\``);
    return stageAfter(carried, false);
  }
  if (code === 0) return stageAfter(carried, true);
  console.error(
    `${script}: deployed, but enable failed (exit code ${code}): run \`${command}\` once the cause above is fixed`,
  );
  return stageAfter(carried, false);
}
