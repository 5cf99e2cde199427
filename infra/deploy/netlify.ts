// `npm run deploy:netlify [-- --dry-run | --skip-secret-check | --env-file FILE] [-- <netlify deploy options>]`: reads
// .env, checks the Netlify login and the linked site's secrets for Functions in Production, carries
// COMMERCELAYER_WEBHOOK_TOPIC_SECRETS and the secret variable of each external kind functions/external.ts implements
// (each when set in .env or the shell) to the site as Functions secrets for Production, then `netlify deploy --prod`,
// which runs netlify.toml's build (`npm run build:deploy`, then the functions packaging) here before uploading, then
// `npm run commercelayer -- enable --external-url https://<site>.netlify.app/external` when it carried a secret and
// Commerce Layer's credentials are set. `--dry-run` runs that build offline with `netlify build --offline` and prints
// the deploy command. Both end with the URLs to set in Commerce Layer (the site's, as `netlify deploy` printed it, or a
// placeholder) and the next command.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExternalKind } from "../../shared/external/kinds.ts";
import { externalTarget, printNextSteps } from "./next-steps.ts";
import {
  RECOMMENDED_RUNTIME,
  type RuntimePin,
  readPinnedValue,
  requireRuntimePin,
  sayWhenLocalNodeIsOlder,
} from "./node-runtime.ts";
import { capture, commandLine, NETLIFY_CLI, type ResolvedCli, resolveCli } from "./platform-cli.ts";
import {
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
  listed,
  NETLIFY_ENVIRONMENT,
  plannedStage,
  readEnvFile,
  sayPlannedHandOver,
  withoutSecrets,
} from "./webhook-secrets.ts";

/** Stands for the site's host when netlify printed none (and in a dry run). */
const PLACEHOLDER = "https://<site>.netlify.app";

/** Where `netlify link` (or `netlify init`) records the site; NETLIFY_SITE_ID takes its place in CI. */
const SITE_LINK = repositoryFile(".netlify/state.json");

async function checkLogin(cli: ResolvedCli): Promise<void> {
  // The CLI reads NETLIFY_AUTH_TOKEN itself; a wrong token fails before anything is uploaded.
  if (process.env.NETLIFY_AUTH_TOKEN) return;
  // `netlify status` exits 0 when logged out: its words tell.
  const status = await capture(cli, ["status"]);
  const said = `${status.stdout}\n${status.stderr}`;
  if (/not logged in/i.test(said)) {
    stop(`not logged in to Netlify: run \`${commandLine(cli, ["login"])}\`, or set NETLIFY_AUTH_TOKEN`);
  }
  if (status.code !== 0) stop(`could not check the Netlify login (netlify status: ${lastLine(status)})`);
}

/**
 * The secrets are variables of the Netlify site; they reach functions only with the Functions scope. Each external
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
  const setIt = (variable: string) =>
    `\`${commandLine(cli, ["env:set", variable, "<secret>", "--scope", "functions", "--secret"])}\``;
  const siteId = process.env.NETLIFY_SITE_ID || (readJsonFile(SITE_LINK) as { siteId?: string } | undefined)?.siteId;
  if (!siteId) {
    stop(
      `this checkout is not linked to a Netlify site, so its secrets cannot be checked or carried: run \`${commandLine(cli, ["link"])}\` (or set NETLIFY_SITE_ID), or pass --skip-secret-check`,
    );
  }
  const listing = await capture(cli, [
    "env:list",
    "--json",
    "--context",
    "production",
    "--scope",
    "functions",
    "--site",
    siteId,
  ]);
  let keys: string[] | undefined;
  try {
    // Names only are used: the values (printed by the CLI) are never shown.
    keys = Object.keys(JSON.parse(listing.stdout) as Record<string, unknown>);
  } catch {
    keys = undefined;
  }
  if (listing.code !== 0 || keys === undefined) {
    stop(
      `could not list the Netlify site's environment variables (netlify env:list: ${lastLine(listing)}); pass --skip-secret-check to deploy without this check`,
    );
  }
  checkHeldSecrets(
    {
      script: "deploy:netlify",
      holds: "set for Functions in Production on the linked Netlify site",
      holdsWebhook: "is among the Netlify site's Functions variables",
      setIt: setIt,
    },
    keys,
    kinds,
    carried,
    envFile,
  );
}

/** Where a deploy puts the variables it carries, as the lines say it. */
const CARRIED_TO = {
  webhook: "to the Netlify site's variables (each a secret, Functions scope, Production only)",
  external: "to the Netlify site's variables (each a secret, Functions scope, Production only)",
} as const;

/** The deploy contexts besides Production that `env:set --secret` gives a value to, and the carry takes away again. */
const OTHER_CONTEXTS = ["deploy-preview", "branch-deploy", "dev", "dev-server"];

/** `A on the site as <one>`, or `A and B on the site as <many>`: what a failed step leaves. */
const areOn = (names: readonly string[], one: string, many: string) =>
  `${listed(names)} on the site as ${names.length === 1 ? one : many}`;

/**
 * Sets each carried variable on the linked site as a secret for Functions in Production: outside the deployment's
 * files (Netlify gives them to the functions it runs, every Functions variable to every function), and never in a
 * command's arguments. netlify-cli takes a value only as an argument of `env:set` (which other users' `ps` shows, and
 * its telemetry sends along) or from a file (`env:import`, which sets every scope and context, not as a secret). So:
 * one `env:import` of them all from a file only this user can read, deleted after; then for each, `env:set --secret
 * --scope functions` (no value) makes it a Functions secret, in every context but dev; then for each, `env:unset
 * --context` takes it out of those other than Production. All the `env:set` come first, so that no variable stays a
 * plain one longer than the others' `env:set` take. Each runs quietly: `env:import` prints the values. netlify's env
 * commands read the site from the link (.netlify/state.json), and say "No project id found" with exit code 0 when
 * there is none, so each is judged by the line it prints when done. Every deploy sets them: a secret cannot be read
 * back to tell it unchanged.
 */
async function carrySecrets(cli: ResolvedCli, carried: readonly CarriedVariable[]): Promise<void> {
  const names = carried.map((variable) => variable.name);
  if (!(readJsonFile(SITE_LINK) as { siteId?: string } | undefined)?.siteId) {
    stop(
      `carrying ${listed(names)} needs a linked site (netlify's env commands read .netlify/state.json, not NETLIFY_SITE_ID): run \`${commandLine(cli, ["link"])}\` (\`--id <site id>\` in CI), then deploy again`,
    );
  }
  const odd = carried.find((variable) => /['\r\n]/.test(variable.value));
  if (odd !== undefined) stop(`${odd.name} holds a quote or a line break: it is not apply's`);
  console.error(`deploy:netlify: carrying ${describeCarried(carried, CARRIED_TO)}`);
  const dir = mkdtempSync(join(tmpdir(), "deploy-netlify-"));
  const file = join(dir, "secrets.env");
  try {
    // Single quotes: dotenv takes what is between them as it is.
    const lines = carried.map((variable) => `${variable.name}='${variable.value}'\n`).join("");
    writeFileSync(file, lines, { mode: 0o600 });
    const steps: { args: string[]; done: RegExp; leaves: string }[] = [
      {
        args: ["env:import", file],
        done: /Imported environment variables/,
        leaves: "the site's variables as they were, or some of them imported as plain variables of every scope",
      },
      ...names.map((name, index) => ({
        args: ["env:set", name, "--secret", "--scope", "functions", "--force"],
        done: new RegExp(`Set environment variable ${name}\\b`),
        leaves: areOn(names.slice(index), "a plain variable of every scope", "plain variables of every scope"),
      })),
      ...names.map((name, index) => ({
        args: ["env:unset", name, "--context", ...OTHER_CONTEXTS, "--force"],
        done: new RegExp(`Unset environment variable ${name}\\b`),
        leaves: areOn(
          names.slice(index),
          "a Functions secret of every deploy context",
          "Functions secrets of every deploy context",
        ),
      })),
    ];
    const removeIt =
      names.length === 1
        ? `\`${commandLine(cli, ["env:unset", names[0] ?? "", "--force"])}\``
        : `\`${commandLine(cli, ["env:unset", "<name>", "--force"])}\` for each`;
    for (const { args, done, leaves } of steps) {
      console.error(`> ${commandLine(cli, args)}`);
      const result = await capture(cli, args);
      if (result.code === 0 && done.test(withoutColours(result.stdout))) continue;
      stop(
        `${commandLine(cli, args.slice(0, 1))} failed (${withoutSecrets(lastLine(result), carried)}), which leaves ${leaves}: nothing was deployed; deploy again, or remove ${names.length === 1 ? "it" : "them"} with ${removeIt}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The functions' runtime. Netlify packages each function for AWS_LAMBDA_JS_RUNTIME from the build's environment
 * (netlify.toml's [build.environment] wins over the site's and the shell's), else for the Node.js running the build:
 * `netlify deploy` builds here, so without the pin a deploy from Node 20 would ship nodejs20.x. netlify.toml has no
 * per-function Node setting (`[functions] node_version` is read as a function's name and refused).
 */
function runtimePin(): RuntimePin {
  return {
    runtime: readPinnedValue(repositoryFile("netlify.toml"), /^\s*AWS_LAMBDA_JS_RUNTIME\s*=\s*["']([^"']*)["']/m),
    file: "netlify.toml",
    fix: `AWS_LAMBDA_JS_RUNTIME = "${RECOMMENDED_RUNTIME}" under [build.environment]`,
  };
}

/** The site's URL as `netlify deploy --prod` prints it to a non-terminal stdout (or in its --json answer). */
function deployedSiteUrl(stdout: string): string | undefined {
  const plain = withoutColours(stdout);
  return (
    /^Production URL: <(https?:\/\/[^>\s]+)>/m.exec(plain)?.[1] ?? /"url":\s*"(https?:\/\/[^"\s]+)"/.exec(plain)?.[1]
  )?.replace(/\/+$/, "");
}

await main("deploy:netlify", async (options) => {
  const cli = resolveCli(NETLIFY_CLI);
  const deploy = ["deploy", "--prod", ...options.passThrough];
  const pin = requireRuntimePin(runtimePin());
  const envFile = readEnvFile("deploy:netlify", options.envFile);
  const kinds = await implementedKinds();
  const carried = carriedVariables(kinds);
  checkEnvironmentSize(NETLIFY_ENVIRONMENT, kinds);
  const nextSteps = (origin: string | undefined, stage: CommerceLayerStage) =>
    printNextSteps({
      script: "deploy:netlify",
      platform: "netlify",
      kinds,
      origin,
      placeholder: PLACEHOLDER,
      findOrigin: `the deploy prints it as "Production URL"; later, \`${commandLine(cli, ["status"])}\` (Project URL)`,
      secretsLiveIn: "the Netlify site's variables (Functions scope)",
      dryRun: options.dryRun,
      stage,
      envFile,
    });
  if (options.dryRun) {
    console.error(`deploy:netlify: dry run with ${cli.origin}`);
    sayWhenLocalNodeIsOlder("deploy:netlify", pin);
    // netlify.toml's build: `npm run build:deploy`, then the functions packaged from dist/netlify as Netlify would.
    await runOrStop(cli, ["build", "--offline", "--context", "production"]);
    console.log(
      `deploy:netlify: dry run done: .netlify/functions holds the packages; the deploy would run: ${commandLine(cli, deploy)}`,
    );
    sayPlannedHandOver({
      script: "deploy:netlify",
      carried,
      kinds,
      carriesTo: CARRIED_TO,
      envFile,
      external: externalTarget("netlify", kinds, undefined, PLACEHOLDER),
      heldBy: "the Netlify site's Functions variables",
    });
    return nextSteps(undefined, plannedStage(carried));
  }
  await checkLogin(cli);
  if (!options.skipSecretCheck) await checkSecrets(cli, kinds, carried, envFile);
  if (carried.length > 0) await carrySecrets(cli, carried);
  console.error(`deploy:netlify: deploying with ${cli.origin}`);
  sayWhenLocalNodeIsOlder("deploy:netlify", pin);
  // Builds first (netlify.toml's `npm run build:deploy`), uploads only if that build passes. Its stdout is read for the
  // site's URL: a non-terminal stdout makes netlify print it as one plain line.
  const deployed = await runWatchedOrStop(cli, deploy, { stdout: true, stderr: false });
  const origin = deployedSiteUrl(deployed.stdout);
  const stage = await enableAfterDeploy(
    "deploy:netlify",
    carried,
    envFile,
    externalTarget("netlify", kinds, origin, PLACEHOLDER),
  );
  return nextSteps(origin, stage);
});
