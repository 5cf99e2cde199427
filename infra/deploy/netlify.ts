// `npm run deploy:netlify [-- --dry-run | --skip-secret-check | --env-file FILE] [-- <netlify deploy options>]`: reads
// .env, checks the Netlify login and the linked site's secrets for Functions in Production, carries
// COMMERCELAYER_WEBHOOK_TOPIC_SECRETS (from .env or the shell) to the site as a Functions secret for Production, then
// `netlify deploy --prod`, which runs netlify.toml's build (`npm run build:deploy`, then the functions packaging) here
// before uploading, then `npm run commercelayer -- enable` when it carried the secrets and Commerce Layer's credentials
// are set. `--dry-run` runs that build offline with `netlify build --offline` and prints the deploy command. Both end
// with the URLs to set in Commerce Layer (the site's, as `netlify deploy` printed it, or a placeholder) and the next
// command.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { printNextSteps } from "./next-steps.ts";
import {
  RECOMMENDED_RUNTIME,
  type RuntimePin,
  readPinnedValue,
  requireRuntimePin,
  sayWhenLocalNodeIsOlder,
} from "./node-runtime.ts";
import { capture, commandLine, NETLIFY_CLI, type ResolvedCli, resolveCli } from "./platform-cli.ts";
import {
  externalSecretVariables,
  implementedKinds,
  lastLine,
  main,
  readJsonFile,
  repositoryFile,
  runOrStop,
  runWatchedOrStop,
  stop,
  TOPIC_SECRETS_VARIABLE,
  WEBHOOK_SECRET_VARIABLES,
  withoutColours,
} from "./preflight.ts";
import {
  checkEnvironmentSize,
  describeTopicSecrets,
  type EnvFile,
  enableAfterDeploy,
  LAMBDA_ENVIRONMENT,
  plannedStage,
  readEnvFile,
  sayNoWebhookSecret,
  sayPlannedHandOver,
  type TopicSecretsHere,
  topicSecretsHere,
  type WebhookStage,
  withoutSecrets,
} from "./webhook-secrets.ts";

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
 * kind's secret must be there. The webhook needs one of its two variables there, unless this deploy carries the secrets
 * bound to topics; with neither, the deploy goes on (the first one comes before `apply`) and says so.
 */
async function checkSecrets(cli: ResolvedCli, carried: TopicSecretsHere | undefined, envFile: EnvFile): Promise<void> {
  const variables = await externalSecretVariables();
  const setIt = (variable: string) =>
    `\`${commandLine(cli, ["env:set", variable, "<secret>", "--scope", "functions", "--secret"])}\``;
  const siteId = process.env.NETLIFY_SITE_ID || (readJsonFile(SITE_LINK) as { siteId?: string } | undefined)?.siteId;
  if (!siteId) {
    stop(
      `this checkout is not linked to a Netlify site, so its secrets cannot be checked or carried: run \`${commandLine(cli, ["link"])}\` (or set NETLIFY_SITE_ID), or pass --skip-secret-check`,
    );
  }
  const listed = await capture(cli, [
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
    keys = Object.keys(JSON.parse(listed.stdout) as Record<string, unknown>);
  } catch {
    keys = undefined;
  }
  if (listed.code !== 0 || keys === undefined) {
    stop(
      `could not list the Netlify site's environment variables (netlify env:list: ${lastLine(listed)}); pass --skip-secret-check to deploy without this check`,
    );
  }
  const missing = variables.find((variable) => !keys.includes(variable));
  if (missing !== undefined) {
    stop(
      `${missing} is not set for Functions in Production on the linked Netlify site: run ${setIt(missing)}, then deploy again`,
    );
  }
  if (carried === undefined && !WEBHOOK_SECRET_VARIABLES.some((variable) => keys.includes(variable))) {
    sayNoWebhookSecret("deploy:netlify", "is among the Netlify site's Functions variables", envFile.shown);
  }
}

/** Where a deploy puts COMMERCELAYER_WEBHOOK_TOPIC_SECRETS, as the lines say it. */
const CARRIED_TO = "to the Netlify site's variables (a secret, Functions scope, Production only)";

/** The deploy contexts besides Production that `env:set --secret` gives a value to, and the carry takes away again. */
const OTHER_CONTEXTS = ["deploy-preview", "branch-deploy", "dev", "dev-server"];

/**
 * Sets COMMERCELAYER_WEBHOOK_TOPIC_SECRETS on the linked site as a secret for Functions in Production: outside the
 * deployment's files (Netlify gives it to the functions it runs), and never in a command's arguments. netlify-cli takes
 * a value only as an argument of `env:set` (which other users' `ps` shows, and its telemetry sends along) or from a file
 * (`env:import`, which sets every scope and context, not as a secret). So: `env:import` from a file only this user can
 * read, deleted after; `env:set --secret --scope functions` (no value) makes it a Functions secret, in every context
 * but dev; `env:unset --context` takes it out of those other than Production. Each runs quietly: `env:import` prints
 * the value. netlify's env commands read the site from the link (.netlify/state.json), and say "No project id found"
 * with exit code 0 when there is none, so each is judged by the line it prints when done. Every deploy sets it: a secret
 * cannot be read back to tell it unchanged.
 */
async function carryTopicSecrets(cli: ResolvedCli, carried: TopicSecretsHere): Promise<void> {
  if (!(readJsonFile(SITE_LINK) as { siteId?: string } | undefined)?.siteId) {
    stop(
      `carrying ${TOPIC_SECRETS_VARIABLE} needs a linked site (netlify's env commands read .netlify/state.json, not NETLIFY_SITE_ID): run \`${commandLine(cli, ["link"])}\` (\`--id <site id>\` in CI), then deploy again`,
    );
  }
  if (/['\r\n]/.test(carried.value)) stop(`${TOPIC_SECRETS_VARIABLE} holds a quote or a line break: it is not apply's`);
  console.error(`deploy:netlify: carrying ${describeTopicSecrets(carried)} ${CARRIED_TO}`);
  const dir = mkdtempSync(join(tmpdir(), "deploy-netlify-"));
  const file = join(dir, "topic-secrets.env");
  try {
    // Single quotes: dotenv takes what is between them as it is.
    writeFileSync(file, `${TOPIC_SECRETS_VARIABLE}='${carried.value}'\n`, { mode: 0o600 });
    const steps: { args: string[]; done: RegExp; leaves: string }[] = [
      {
        args: ["env:import", file],
        done: /Imported environment variables/,
        leaves: "the site's variable as it was, or none",
      },
      {
        args: ["env:set", TOPIC_SECRETS_VARIABLE, "--secret", "--scope", "functions", "--force"],
        done: new RegExp(`Set environment variable ${TOPIC_SECRETS_VARIABLE}\\b`),
        leaves: "it on the site as a plain variable of every scope",
      },
      {
        args: ["env:unset", TOPIC_SECRETS_VARIABLE, "--context", ...OTHER_CONTEXTS, "--force"],
        done: new RegExp(`Unset environment variable ${TOPIC_SECRETS_VARIABLE}\\b`),
        leaves: "it on the site as a Functions secret of every deploy context",
      },
    ];
    for (const { args, done, leaves } of steps) {
      console.error(`> ${commandLine(cli, args)}`);
      const result = await capture(cli, args);
      if (result.code === 0 && done.test(withoutColours(result.stdout))) continue;
      stop(
        `${commandLine(cli, args.slice(0, 1))} failed (${withoutSecrets(lastLine(result), carried)}), which leaves ${leaves}: nothing was deployed; deploy again, or remove it with \`${commandLine(cli, ["env:unset", TOPIC_SECRETS_VARIABLE, "--force"])}\``,
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
  const carried = topicSecretsHere();
  checkEnvironmentSize(LAMBDA_ENVIRONMENT);
  const nextSteps = async (origin: string | undefined, webhooks: WebhookStage) =>
    printNextSteps({
      script: "deploy:netlify",
      platform: "netlify",
      kinds: await implementedKinds(),
      origin,
      placeholder: "https://<site>.netlify.app",
      findOrigin: `the deploy prints it as "Production URL"; later, \`${commandLine(cli, ["status"])}\` (Project URL)`,
      secretsLiveIn: "the Netlify site's variables (Functions scope)",
      dryRun: options.dryRun,
      webhooks,
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
    sayPlannedHandOver("deploy:netlify", carried, CARRIED_TO, envFile);
    return nextSteps(undefined, plannedStage(carried));
  }
  await checkLogin(cli);
  if (!options.skipSecretCheck) await checkSecrets(cli, carried, envFile);
  if (carried !== undefined) await carryTopicSecrets(cli, carried);
  console.error(`deploy:netlify: deploying with ${cli.origin}`);
  sayWhenLocalNodeIsOlder("deploy:netlify", pin);
  // Builds first (netlify.toml's `npm run build:deploy`), uploads only if that build passes. Its stdout is read for the
  // site's URL: a non-terminal stdout makes netlify print it as one plain line.
  const deployed = await runWatchedOrStop(cli, deploy, { stdout: true, stderr: false });
  const webhooks = await enableAfterDeploy("deploy:netlify", carried, envFile);
  return nextSteps(deployedSiteUrl(deployed.stdout), webhooks);
});
