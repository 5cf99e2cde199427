// `npm run deploy:netlify [-- --dry-run | --skip-secret-check] [-- <netlify deploy options>]`: checks the Netlify login
// and that the linked site holds COMMERCELAYER_WEBHOOK_SECRET for Functions in Production, then `netlify deploy --prod`,
// which runs netlify.toml's build (`npm run build:deploy`, then the functions packaging) here before uploading.
// `--dry-run` runs that build offline with `netlify build --offline` and prints the deploy command.
import { capture, commandLine, NETLIFY_CLI, type ResolvedCli, resolveCli } from "./platform-cli.ts";
import {
  lastLine,
  main,
  readJsonFile,
  repositoryFile,
  runOrStop,
  SECRET_VARIABLE,
  secretVariables,
  stop,
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

await main("deploy:netlify", async (options) => {
  const cli = resolveCli(NETLIFY_CLI);
  const deploy = ["deploy", "--prod", ...options.passThrough];
  if (options.dryRun) {
    console.error(`deploy:netlify: dry run with ${cli.origin}`);
    // netlify.toml's build: `npm run build:deploy`, then the functions packaged from dist/netlify as Netlify would.
    await runOrStop(cli, ["build", "--offline", "--context", "production"]);
    console.log(
      `deploy:netlify: dry run done: .netlify/functions holds the packages; the deploy would run: ${commandLine(cli, deploy)}`,
    );
    return;
  }
  await checkLogin(cli);
  if (!options.skipSecretCheck) await checkSecrets(cli);
  console.error(`deploy:netlify: deploying with ${cli.origin}`);
  // Builds first (netlify.toml's `npm run build:deploy`), uploads only if that build passes.
  await runOrStop(cli, deploy);
});
