// `npm run deploy:aws [-- --dry-run] [-- <serverless deploy options, e.g. --stage prod --region eu-west-1>]`:
// checks that AWS credentials and COMMERCELAYER_WEBHOOK_SECRET (and the secret of each external kind
// functions/external.ts implements) are there, builds, then `serverless deploy` (v3).
// `--dry-run` builds and runs `serverless package` (offline: no credentials, no secret) and prints the deploy command.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { commandLine, resolveCli, SERVERLESS_CLI } from "./platform-cli.ts";
import { build, main, runOrStop, SECRET_VARIABLE, secretVariables, stop } from "./preflight.ts";

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

await main("deploy:aws", async (options) => {
  const cli = resolveCli(SERVERLESS_CLI);
  const deploy = ["deploy", ...options.passThrough];
  if (options.dryRun) {
    await build();
    console.error(`deploy:aws: dry run with ${cli.origin}`);
    await runOrStop(cli, ["package", ...options.passThrough]);
    console.log(
      `deploy:aws: dry run done: .serverless/ holds the packages; the deploy would run: ${commandLine(cli, deploy)}`,
    );
    if (!process.env[SECRET_VARIABLE])
      console.log(`deploy:aws: (it would stop first: ${SECRET_VARIABLE} is unset here)`);
    return;
  }
  if (!options.skipLoginCheck && awsCredentialSource(process.env, options.passThrough) === undefined) {
    stop(
      "no AWS credentials found (no AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws/credentials or ~/.aws/config): run `aws configure` or set them; on an EC2 instance role, pass --skip-login-check",
    );
  }
  const unset = (await secretVariables()).find((variable) => !process.env[variable]);
  if (unset !== undefined) {
    stop(
      `${unset} is not set in this shell: serverless.yml deploys the functions with the value it has here (see docs/deploy-aws-lambda.md)`,
    );
  }
  await build();
  console.error(`deploy:aws: deploying with ${cli.origin}`);
  await runOrStop(cli, deploy);
});
