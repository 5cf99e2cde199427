// `npm run deploy:netlify [-- --dry-run | --skip-secret-check] [-- <netlify deploy options>]`: checks the Netlify login
// and that the linked site holds COMMERCELAYER_WEBHOOK_SECRET for Functions in Production, then `netlify deploy --prod`,
// which runs netlify.toml's build (`npm run build:deploy`, then the functions packaging) here before uploading.
// `--dry-run` runs that build offline with `netlify build --offline` and prints the deploy command. Both end with the
// URLs to set in Commerce Layer (the site's, as `netlify deploy` printed it, or a placeholder) and the next step.
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
  implementedKinds,
  lastLine,
  main,
  readJsonFile,
  repositoryFile,
  runOrStop,
  runWatchedOrStop,
  SECRET_VARIABLE,
  secretVariables,
  stop,
  withoutColours,
} from "./preflight.ts";

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

/** The secrets are variables of the Netlify site; they reach functions only with the Functions scope. */
async function checkSecrets(cli: ResolvedCli): Promise<void> {
  const variables = await secretVariables();
  const setIt = (variable: string) =>
    `\`${commandLine(cli, ["env:set", variable, "<secret>", "--scope", "functions", "--secret"])}\``;
  const siteId = process.env.NETLIFY_SITE_ID || (readJsonFile(SITE_LINK) as { siteId?: string } | undefined)?.siteId;
  if (!siteId) {
    stop(
      `this checkout is not linked to a Netlify site, so the secret cannot be checked: run \`${commandLine(cli, ["link"])}\` (or set NETLIFY_SITE_ID), then ${setIt(SECRET_VARIABLE)} (or pass --skip-secret-check)`,
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
  const nextSteps = async (origin: string | undefined) =>
    printNextSteps({
      script: "deploy:netlify",
      platform: "netlify",
      kinds: await implementedKinds(),
      origin,
      placeholder: "https://<site>.netlify.app",
      findOrigin: `the deploy prints it as "Production URL"; later, \`${commandLine(cli, ["status"])}\` (Project URL)`,
      secretsLiveIn: "the Netlify site's variables (Functions scope)",
      dryRun: options.dryRun,
    });
  if (options.dryRun) {
    console.error(`deploy:netlify: dry run with ${cli.origin}`);
    sayWhenLocalNodeIsOlder("deploy:netlify", pin);
    // netlify.toml's build: `npm run build:deploy`, then the functions packaged from dist/netlify as Netlify would.
    await runOrStop(cli, ["build", "--offline", "--context", "production"]);
    console.log(
      `deploy:netlify: dry run done: .netlify/functions holds the packages; the deploy would run: ${commandLine(cli, deploy)}`,
    );
    return nextSteps(undefined);
  }
  await checkLogin(cli);
  if (!options.skipSecretCheck) await checkSecrets(cli);
  console.error(`deploy:netlify: deploying with ${cli.origin}`);
  sayWhenLocalNodeIsOlder("deploy:netlify", pin);
  // Builds first (netlify.toml's `npm run build:deploy`), uploads only if that build passes. Its stdout is read for the
  // site's URL: a non-terminal stdout makes netlify print it as one plain line.
  const deployed = await runWatchedOrStop(cli, deploy, { stdout: true, stderr: false });
  return nextSteps(deployedSiteUrl(deployed.stdout));
});
