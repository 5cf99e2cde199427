// `npm run deploy:vercel [-- --dry-run | --skip-secret-check | --env-file FILE] [-- <vercel deploy options>]`: reads
// .env, checks the Vercel login and the linked project's secrets for Production, builds, carries
// COMMERCELAYER_WEBHOOK_TOPIC_SECRETS and the secret variable of each external kind functions/external.ts implements
// (each when set in .env or the shell) to the project's Production variables, then `vercel deploy --prod` (Vercel runs
// vercel.json's `npm ci` and `npm run build:deploy` again on its side and deploys the .vercel/output it writes), then
// `npm run commercelayer -- enable --external-url https://<host>/api/external` when it carried a secret and Commerce
// Layer's credentials are set.
// `--dry-run` runs that same build here, offline, with `vercel build --prod`, and prints the deploy command. It skips
// vercel.json's `npm ci`: this checkout's node_modules (which run this script) are used as they are, and an `npm ci`
// here would delete them first (test/emulators/vercel runs `vercel build` with the `npm ci`, on a copy).
// Both end with the URLs to set in Commerce Layer (the production domain `vercel deploy` printed, or a placeholder)
// and the next command.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ExternalKind } from "../../shared/external/kinds.ts";
import { VERCEL_NODE_RUNTIME } from "../build/vercel-output.ts";
import { externalTarget, printNextSteps } from "./next-steps.ts";
import {
  type PinnedRuntime,
  RECOMMENDED_RUNTIME,
  type RuntimePin,
  requireRuntimePin,
  sayWhenLocalNodeIsOlder,
} from "./node-runtime.ts";
import { capture, commandLine, type ResolvedCli, resolveCli, VERCEL_CLI } from "./platform-cli.ts";
import {
  build,
  implementedKinds,
  lastLine,
  main,
  readJsonFile,
  repositoryFile,
  runOrStop,
  runWatchedOrStop,
  stop,
  withoutColours,
} from "./preflight.ts";
import {
  type CarriedVariable,
  type CommerceLayerStage,
  carriedVariables,
  checkEnvironmentSize,
  checkHeldSecrets,
  describeCarried,
  type EnvFile,
  enableAfterDeploy,
  plannedStage,
  readEnvFile,
  sayPlannedHandOver,
  VERCEL_ENVIRONMENT,
  withoutSecrets,
} from "./webhook-secrets.ts";

/**
 * The functions' runtime: each .vc-config.json of the Build Output names it, and Vercel deploys it as written,
 * whatever Node.js ran the build (the project's Node.js Version setting and `engines.node` choose only that).
 */
const RUNTIME_PIN: RuntimePin = {
  runtime: VERCEL_NODE_RUNTIME,
  file: "infra/build/vercel-output.ts",
  fix: `VERCEL_NODE_RUNTIME = "${RECOMMENDED_RUNTIME}"`,
};

const PROJECT_LINK = repositoryFile(".vercel/project.json");

/**
 * `vercel build` reads the project's settings from .vercel/project.json and, without one, wants to download them (a
 * login and a network). Offline, a link to no real project with empty settings is enough: vercel.json gives the
 * install and build commands, and nothing is uploaded. It is removed afterwards, so a later deploy links for real.
 */
const PLACEHOLDER_LINK = { projectId: "prj_dry_run_placeholder", orgId: "team_dry_run_placeholder", settings: {} };

/** vercel.json as it is, without the install step: given to `vercel build --local-config`, removed afterwards. */
const DRY_RUN_CONFIG = repositoryFile(".vercel/dry-run-vercel.json");

interface ProjectLink {
  readonly projectId?: string;
  readonly settings?: unknown;
}

/** Stands for the production domain when vercel printed none (and in a dry run). */
const PLACEHOLDER = "https://<production-domain>";

async function dryRun(
  cli: ResolvedCli,
  deploy: readonly string[],
  pin: PinnedRuntime,
  kinds: readonly ExternalKind[],
  carried: readonly CarriedVariable[],
  envFile: EnvFile,
): Promise<void> {
  const link = readJsonFile(PROJECT_LINK) as ProjectLink | undefined;
  if (link !== undefined && link.settings === undefined) {
    stop(
      `.vercel/project.json links a project but holds no settings, which \`vercel build\` needs offline: run \`${commandLine(cli, ["pull", "--yes"])}\` once (needs a login), or move .vercel/project.json aside for the dry run`,
    );
  }
  const placeholder = link === undefined;
  const removeOwnFiles = () => {
    rmSync(DRY_RUN_CONFIG, { force: true });
    if (placeholder) rmSync(PROJECT_LINK, { force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      removeOwnFiles();
      process.exit(128 + (signal === "SIGINT" ? 2 : 15));
    });
  }
  mkdirSync(dirname(PROJECT_LINK), { recursive: true });
  if (placeholder) writeFileSync(PROJECT_LINK, `${JSON.stringify(PLACEHOLDER_LINK, null, 2)}\n`);
  const config = JSON.parse(readFileSync(repositoryFile("vercel.json"), "utf8")) as Record<string, unknown>;
  // An empty install command is Vercel's way of saying "skip the install".
  writeFileSync(DRY_RUN_CONFIG, `${JSON.stringify({ ...config, installCommand: "" }, null, 2)}\n`);
  console.error(
    `deploy:vercel: dry run with ${cli.origin}${placeholder ? ", linked to a placeholder project for the offline build" : ""}`,
  );
  sayWhenLocalNodeIsOlder("deploy:vercel", pin);
  try {
    // The build Vercel runs for the deployment: vercel.json's `npm run build:deploy`, then Vercel's own checks of its output.
    await runOrStop(cli, ["build", "--prod", "--local-config", DRY_RUN_CONFIG]);
  } finally {
    removeOwnFiles();
  }
  console.log(
    `deploy:vercel: dry run done: .vercel/output is built; the deploy would run: ${commandLine(cli, deploy)}`,
  );
  sayPlannedHandOver({
    script: "deploy:vercel",
    carried,
    kinds,
    carriesTo: CARRIED_TO,
    envFile,
    external: externalTarget("vercel", kinds, undefined, PLACEHOLDER),
    heldBy: "the Vercel project's Production variables",
  });
  printVercelNextSteps(kinds, undefined, undefined, true, plannedStage(carried), envFile);
}

/**
 * What `vercel deploy --prod` printed: the production domain it aliased (on stderr, `▲ Aliased  https://...`) and the
 * deployment's own URL (alone on a non-terminal stdout, or as `"url"` in its JSON answer).
 */
function deployedUrls(printed: { stdout: string; stderr: string }): { alias?: string; deployment?: string } {
  const trim = (url: string | undefined) => url?.replace(/\/+$/, "");
  return {
    alias: trim(/\bAliased\s+(https:\/\/\S+)/.exec(withoutColours(printed.stderr))?.[1]),
    deployment: trim(/(?:^|"url":\s*")(https:\/\/[^\s"]+)/m.exec(withoutColours(printed.stdout))?.[1]),
  };
}

/**
 * The production domain is the URL for Commerce Layer: a deployment's own URL is behind Vercel Authentication by
 * default (Standard Protection), which Commerce Layer cannot pass.
 */
function printVercelNextSteps(
  kinds: readonly ExternalKind[],
  alias: string | undefined,
  deployment: string | undefined,
  dryRun: boolean,
  stage: CommerceLayerStage,
  envFile: EnvFile,
) {
  printNextSteps({
    script: "deploy:vercel",
    platform: "vercel",
    kinds,
    origin: alias,
    placeholder: PLACEHOLDER,
    findOrigin:
      deployment === undefined
        ? `the deploy prints it as "Aliased" (<project>.vercel.app or yours); also under the project's Settings → Domains`
        : `the project's domain (Settings → Domains): ${deployment} is this deployment's own URL, behind Vercel Authentication by default`,
    secretsLiveIn: "the Vercel project's Production variables",
    dryRun,
    stage,
    envFile,
  });
}

async function checkLogin(cli: ResolvedCli): Promise<void> {
  // The CLI reads VERCEL_TOKEN itself; a wrong token fails at deploy time, before anything is uploaded.
  if (process.env.VERCEL_TOKEN) return;
  const whoami = await capture(cli, ["whoami"]);
  if (whoami.code === 0) return;
  // Logged out is the usual case; anything else (an expired login, no network) is worth its own words.
  const loggedOut = /logged out|no existing credentials/i.test(`${whoami.stdout}\n${whoami.stderr}`);
  stop(
    `not logged in to Vercel (vercel whoami: ${loggedOut ? "logged out" : lastLine(whoami)}): run \`${commandLine(cli, ["login"])}\`, or set VERCEL_TOKEN`,
  );
}

/**
 * The secrets are variables of the Vercel project: read its list (names only are used) for Production. Each external
 * kind's secret must be there, unless this deploy carries it. The webhook needs one of its two variables there, unless
 * this deploy carries the secrets bound to topics; with neither, the deploy goes on (the first one comes before
 * `apply`) and says so.
 */
async function checkSecrets(
  cli: ResolvedCli,
  kinds: readonly ExternalKind[],
  carried: readonly CarriedVariable[],
  envFile: EnvFile,
): Promise<void> {
  const addIt = (variable: string) => `\`${commandLine(cli, ["env", "add", variable, "production"])}\``;
  const link = readJsonFile(PROJECT_LINK) as ProjectLink | undefined;
  if (link?.projectId === undefined && !process.env.VERCEL_PROJECT_ID) {
    stop(
      `this checkout is not linked to a Vercel project, so its secrets cannot be checked or carried: run \`${commandLine(cli, ["link"])}\` (or pass --skip-secret-check)`,
    );
  }
  const listed = await capture(cli, ["env", "ls", "production", "--format", "json"]);
  let keys: string[] | undefined;
  try {
    keys = (JSON.parse(listed.stdout) as { envs: { key: string }[] }).envs.map((env) => env.key);
  } catch {
    keys = undefined;
  }
  if (listed.code !== 0 || keys === undefined) {
    stop(
      `could not list the Vercel project's environment variables (vercel env ls: ${lastLine(listed)}); pass --skip-secret-check to deploy without this check`,
    );
  }
  checkHeldSecrets(
    {
      script: "deploy:vercel",
      holds: "set for Production in the linked Vercel project",
      holdsWebhook: "is among the Vercel project's Production variables",
      setIt: addIt,
    },
    keys,
    kinds,
    carried,
    envFile,
  );
}

/** Where a deploy puts the variables it carries, as the lines say it. */
const CARRIED_TO = {
  webhook: "to the Vercel project's Production variables (each a Secret)",
  external: "to the Vercel project's Production variables (each a Secret)",
} as const;

/**
 * Sets each carried variable for Production, overwriting the one there (`--force`), as a Secret: readable by no one
 * after saving, and outside the deployment's files (Vercel gives it to the functions it runs). One `vercel env add` per
 * variable, its value on the CLI's stdin, never in its arguments. Every deploy sets them: a Secret cannot be read back
 * to tell it unchanged.
 */
async function carrySecrets(cli: ResolvedCli, carried: readonly CarriedVariable[]): Promise<void> {
  console.error(`deploy:vercel: carrying ${describeCarried(carried, CARRIED_TO)}`);
  for (const variable of carried) {
    const args = ["env", "add", variable.name, "production", "--sensitive", "--force", "--yes"];
    console.error(`> ${commandLine(cli, args)} (the value on stdin)`);
    const added = await capture(cli, args, 60_000, variable.value);
    if (added.code !== 0) {
      stop(
        `could not set ${variable.name} in the Vercel project (vercel env add: ${withoutSecrets(lastLine(added), carried)}): nothing was deployed`,
      );
    }
  }
}

await main("deploy:vercel", async (options) => {
  const cli = resolveCli(VERCEL_CLI);
  const deploy = ["deploy", "--prod", "--yes", ...options.passThrough];
  const pin = requireRuntimePin(RUNTIME_PIN);
  if ((readJsonFile(PROJECT_LINK) as ProjectLink | undefined)?.projectId === PLACEHOLDER_LINK.projectId) {
    stop(
      "`.vercel/project.json` is the dry run's placeholder, left by an interrupted dry run: delete it, then run again",
    );
  }
  const envFile = readEnvFile("deploy:vercel", options.envFile);
  const kinds = await implementedKinds();
  const carried = carriedVariables(kinds);
  checkEnvironmentSize(VERCEL_ENVIRONMENT, kinds);
  if (options.dryRun) return dryRun(cli, deploy, pin, kinds, carried, envFile);
  await checkLogin(cli);
  if (!options.skipSecretCheck) await checkSecrets(cli, kinds, carried, envFile);
  sayWhenLocalNodeIsOlder("deploy:vercel", pin);
  await build();
  if (carried.length > 0) await carrySecrets(cli, carried);
  console.error(`deploy:vercel: deploying with ${cli.origin}`);
  // Both streams are read afterwards: the production domain is on stderr, the deployment's own URL on stdout.
  const deployed = await runWatchedOrStop(cli, deploy, { stdout: true, stderr: true });
  const { alias, deployment } = deployedUrls(deployed);
  const external = externalTarget("vercel", kinds, alias, PLACEHOLDER);
  const stage = await enableAfterDeploy("deploy:vercel", carried, envFile, external);
  printVercelNextSteps(kinds, alias, deployment, false, stage, envFile);
});
