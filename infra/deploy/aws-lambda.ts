// `npm run deploy:aws [-- --dry-run | --env-file FILE] [-- <serverless deploy options, e.g. --stage prod>]`: reads
// .env, checks that AWS credentials and the secret of each external kind functions/external.ts implements are there,
// builds, then `serverless deploy` (v3), whose serverless.yml deploys the secrets it finds in this process's
// environment (.env or the shell): COMMERCELAYER_WEBHOOK_TOPIC_SECRETS and COMMERCELAYER_WEBHOOK_SECRET into the two
// webhook functions, each implemented kind's variable into the external-resource function
// (infra/build/external-deploy.ts); then `npm run commercelayer -- enable --external-url <HttpApiUrl>/external` when it
// deployed a secret and Commerce Layer's credentials are set. `--dry-run` builds and runs `serverless package`
// (offline: no credentials, no secret) and prints the deploy command. Both end with the URLs to set in Commerce Layer
// (the HTTP API's, from the endpoints `serverless deploy` printed, or a placeholder) and the next command.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { ExternalKind } from "../../shared/external/kinds.ts";
import { externalTarget, printNextSteps, WEBHOOK_PATHS } from "./next-steps.ts";
import {
  RECOMMENDED_RUNTIME,
  type RuntimePin,
  readPinnedValue,
  requireRuntimePin,
  sayWhenLocalNodeIsOlder,
} from "./node-runtime.ts";
import { commandLine, type ResolvedCli, resolveCli, SERVERLESS_CLI } from "./platform-cli.ts";
import {
  build,
  externalSecretVariables,
  implementedKinds,
  main,
  repositoryFile,
  runOrStop,
  runWatchedOrStop,
  stop,
  WEBHOOK_SECRET_VARIABLES,
  withoutColours,
} from "./preflight.ts";
import {
  type CommerceLayerStage,
  carriedVariables,
  checkEnvironmentSize,
  commerceLayerCommand,
  describeCarried,
  type EnvFile,
  enableAfterDeploy,
  LAMBDA_ENVIRONMENT,
  plannedStage,
  readEnvFile,
  sayNoWebhookSecret,
  sayPlannedHandOver,
} from "./webhook-secrets.ts";

/**
 * The functions' runtime: serverless.yml's `provider.runtime`, which every function there (and the external one,
 * from dist/aws-lambda/commercelayer-external.serverless.json) takes; the CloudFormation template names it per function.
 * Read from the provider block: its lines are indented, and its own keys by two spaces.
 */
function runtimePin(): RuntimePin {
  return {
    runtime: readPinnedValue(
      repositoryFile("serverless.yml"),
      /^provider:\n(?:(?:[ \t].*|#.*|)\n)*? {2}runtime:\s*["']?([\w.]+)/m,
    ),
    file: "serverless.yml",
    fix: `provider.runtime: ${RECOMMENDED_RUNTIME}`,
  };
}

/** The HTTP API's URL, from the endpoint line `serverless deploy` prints (`POST - https://<id>.execute-api...`). */
function deployedApiUrl(stdout: string): string | undefined {
  const path = WEBHOOK_PATHS["aws-lambda"].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`\\bPOST - (https://[^/\\s]+)${path}\\b`).exec(withoutColours(stdout))?.[1];
}

/** The options that choose the deployed stack, for `serverless info` (the others belong to `deploy`). */
function stackOptions(passThrough: readonly string[]): string[] {
  const chosen: string[] = [];
  for (let index = 0; index < passThrough.length; index++) {
    const option = passThrough[index] ?? "";
    const name = option.split("=")[0] ?? "";
    if (!["--stage", "-s", "--region", "-r", "--aws-profile"].includes(name)) continue;
    chosen.push(option);
    const value = passThrough[index + 1];
    if (!option.includes("=") && value !== undefined) chosen.push(value);
  }
  return chosen;
}

/** Stands for the HTTP API's URL when serverless printed none (and in a dry run). */
const PLACEHOLDER = "https://<api-id>.execute-api.<region>.amazonaws.com";

function printAwsNextSteps(
  cli: ResolvedCli,
  kinds: readonly ExternalKind[],
  origin: string | undefined,
  passThrough: readonly string[],
  dryRun: boolean,
  stage: CommerceLayerStage,
  envFile: EnvFile,
) {
  printNextSteps({
    script: "deploy:aws",
    platform: "aws-lambda",
    kinds,
    origin,
    placeholder: PLACEHOLDER,
    findOrigin: `the deploy prints it under "endpoints"; later, \`${commandLine(cli, ["info", "--verbose", ...stackOptions(passThrough)])}\` (HttpApiUrl)`,
    secretsLiveIn: "the environment of commercelayer-external (serverless.yml)",
    dryRun,
    stage,
    envFile,
  });
}

/**
 * Where Serverless v3 (the AWS SDK v2's default chain behind it) can find credentials, told without calling AWS.
 * Conservative: any sign of credentials passes, and AWS itself judges them at deploy time. Only an EC2 instance role
 * leaves no sign here (the SDK asks the instance metadata service): `--skip-login-check` is for that case.
 */
function awsCredentialSource(env: NodeJS.ProcessEnv, args: readonly string[], home = homedir()): string | undefined {
  const set = (name: string) => (env[name] ?? "") !== "";
  if (args.includes("--aws-profile")) return "--aws-profile";
  // AWS_ACCESS_KEY_ID for every stage, AWS_<STAGE>_ACCESS_KEY_ID / _PROFILE for one stage (Serverless v3 reads both).
  const named = Object.keys(env).find(
    (name) => set(name) && /^AWS_([A-Z0-9_]+_)?(ACCESS_KEY_ID|PROFILE)$/.test(name) && name !== "AWS_DEFAULT_PROFILE",
  );
  if (named) return named;
  for (const name of [
    "AWS_SESSION_TOKEN",
    "AWS_DEFAULT_PROFILE",
    // ECS tasks and CodeBuild; EKS and OIDC roles (web identity).
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
  ]) {
    if (set(name)) return name;
  }
  // The shared files hold keys, profiles, SSO sessions and credential_process entries alike.
  for (const file of [
    env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials"),
    env.AWS_CONFIG_FILE || join(home, ".aws", "config"),
  ]) {
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * Where a deploy puts the variables it carries, as the lines say it: serverless.yml's environment of the two webhook
 * functions (the worker verifies each delivery again) for the webhook's, that of the external-resource function for the
 * kinds' (dist/aws-lambda/commercelayer-external.serverless.json, which serverless.yml includes); the CloudFormation
 * template carries both.
 */
const CARRIED_TO = {
  webhook: "into the environment of commercelayer-webhook and commercelayer-webhook-worker (serverless.yml)",
  external: "into the environment of commercelayer-external (serverless.yml)",
} as const;

const isSet = (variable: string) => (process.env[variable] ?? "").trim() !== "";

await main("deploy:aws", async (options) => {
  const cli = resolveCli(SERVERLESS_CLI);
  const deploy = ["deploy", ...options.passThrough];
  const pin = requireRuntimePin(runtimePin());
  const envFile = readEnvFile("deploy:aws", options.envFile);
  const kinds = await implementedKinds();
  const carried = carriedVariables(kinds);
  checkEnvironmentSize(LAMBDA_ENVIRONMENT, kinds);
  if (options.dryRun) {
    sayWhenLocalNodeIsOlder("deploy:aws", pin);
    await build();
    console.error(`deploy:aws: dry run with ${cli.origin}`);
    await runOrStop(cli, ["package", ...options.passThrough]);
    console.log(
      `deploy:aws: dry run done: .serverless/ holds the packages; the deploy would run: ${commandLine(cli, deploy)}`,
    );
    const unset = externalSecretVariables(kinds).find((variable) => !isSet(variable));
    if (unset !== undefined) console.log(`deploy:aws: (it would stop first: ${unset} is unset here)`);
    sayPlannedHandOver({
      script: "deploy:aws",
      carried,
      kinds,
      carriesTo: CARRIED_TO,
      envFile,
      external: externalTarget("aws-lambda", kinds, undefined, PLACEHOLDER),
    });
    return printAwsNextSteps(cli, kinds, undefined, options.passThrough, true, plannedStage(carried), envFile);
  }
  if (!options.skipLoginCheck && awsCredentialSource(process.env, options.passThrough) === undefined) {
    stop(
      "no AWS credentials found (no AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws/credentials or ~/.aws/config): run `aws configure` or set them; on an EC2 instance role, pass --skip-login-check",
    );
  }
  const unset = externalSecretVariables(kinds).find((variable) => !isSet(variable));
  if (unset !== undefined) {
    stop(
      `${unset} is not set in ${envFile.shown} or this shell: \`${commerceLayerCommand("apply", envFile)}\` writes it there (from the resource functions/external-attachments.ts names), and serverless.yml deploys the functions with the value it has here (see docs/deploy-aws-lambda.md)`,
    );
  }
  if (!WEBHOOK_SECRET_VARIABLES.some(isSet)) sayNoWebhookSecret("deploy:aws", `is in ${envFile.shown} or this shell`);
  sayWhenLocalNodeIsOlder("deploy:aws", pin);
  await build();
  if (carried.length > 0) console.error(`deploy:aws: deploying ${describeCarried(carried, CARRIED_TO)}`);
  console.error(`deploy:aws: deploying with ${cli.origin}`);
  // Its stdout is read for the endpoints it prints at the end. Its log lines (stderr) stay the terminal's; its progress
  // spinner, which wants a terminal stdout, is not shown.
  const deployed = await runWatchedOrStop(cli, deploy, { stdout: true, stderr: false });
  const origin = deployedApiUrl(deployed.stdout);
  const stage = await enableAfterDeploy(
    "deploy:aws",
    carried,
    envFile,
    externalTarget("aws-lambda", kinds, origin, PLACEHOLDER),
  );
  return printAwsNextSteps(cli, kinds, origin, options.passThrough, false, stage, envFile);
});
