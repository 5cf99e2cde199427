// `npm run deploy:vercel` through the real script and the vercel CLI (test/emulators/vercel): it stops before building
// when the login, the project link or an external kind's secret on the project is missing, and `--dry-run` builds a
// fresh copy offline with `vercel build` and a placeholder project link that it removes again; every function's
// .vc-config.json names a Node 22+ runtime whatever Node.js ran the build. A dry run and a deploy end with the URLs to
// set in Commerce Layer and the next command. A deploy reads the copy's .env: the secrets bound to topics there, and the
// secret of each external kind implemented (test/fixtures/external-some-handlers.ts: two), are set as Production Secrets
// of the project through the real `vercel env add`, one per variable (value on stdin, never in an argument), against a
// local stand-in of the few Vercel API endpoints it calls; a kind's secret carried so needs not be on the project. Then
// `enable --external-url https://<domain>/api/external` (a stand-in here) runs after the deploy when the integration's
// credentials are there too. No secret is ever printed.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERCEL_CLI } from "../../../infra/deploy/platform-cli.ts";
import { FIXTURE_LINE } from "../../fixtures/handlers.ts";
import { ROOT } from "../repository-copy.ts";
import {
  COMMERCELAYER_CREDENTIALS,
  createWorkspace,
  deployEnv,
  EMULATOR_CLIS,
  EXTERNAL_CARRIED,
  EXTERNAL_SECRETS,
  emulatorManifestVersion,
  endingLines,
  expectLocalNodeLine,
  expectNode22OrLater,
  expectNoSecretIn,
  ownLines,
  replayEnv,
  runScript,
  SOME_EXTERNAL_HANDLERS,
  sourcesOf,
  splitUrlLines,
  stubCommerceLayerCommand,
  TOPIC_SECRETS_VALUE,
  type Workspace,
  writeEnvFile,
} from "./deploy-script.ts";

const FUNCTION_DIR = ".vercel/output/functions/api/webhooks/commercelayer.func";
const LINK = ".vercel/project.json";
/** The last line, with external kinds deployed below `prefix`. */
const externalLine = (prefix: string) =>
  `deploy:vercel: external resources: \`npm run commercelayer -- apply\` writes their shared_secrets to .env (the resources functions/external-attachments.ts names), a deploy carries them to the Vercel project's Production variables, then \`npm run commercelayer -- enable --external-url ${prefix}\` sets each attribute above (docs/external-resources.md)`;
const CARRIED = `COMMERCELAYER_WEBHOOK_TOPIC_SECRETS (2 secrets, ${Buffer.byteLength(TOPIC_SECRETS_VALUE)} bytes)`;
const CARRIED_TO = "to the Vercel project's Production variables (each a Secret)";

/** Where the pinned vercel CLI's sources print the deployment's URL (stdout) and the production domain (stderr). */
const VERCEL_PRINTS_URLS = [
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the CLI's source, as written.
  '(quiet||process.env.FORCE_TTY==="1")&&process.stdout.write(`https://${event.payload.url}`)',
  'printAlignedLabel(anonymous?"Temporary":"Aliased",import_chalk2.default.cyan(prodUrl)',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the CLI's source, as written.
  'prefix=gutter?`${gutter} `:"  "',
];

/** Each function of the Build Output: its route (the folder's path below functions/) and its .vc-config.json. */
function outputFunctions(repo: string): { route: string; config: { runtime?: unknown } }[] {
  const functions = join(repo, ".vercel/output/functions");
  return readdirSync(functions, { recursive: true, encoding: "utf8" })
    .filter((path) => path.endsWith(".func"))
    .map((path) => ({
      route: `/${path.slice(0, -".func".length)}`,
      config: JSON.parse(readFileSync(join(functions, path, ".vc-config.json"), "utf8")) as { runtime?: unknown },
    }));
}

let workspace: Workspace;

beforeAll(() => {
  workspace = createWorkspace(EMULATOR_CLIS.vercel);
});

afterAll(() => {
  if (workspace !== undefined) rmSync(workspace.temp, { recursive: true, force: true });
});

/** A variable `vercel env add` sent to the stand-in (the body of its POST). */
interface AddedVariable {
  readonly type: string;
  readonly key: string;
  readonly value: string;
  readonly target: string[];
}

/**
 * The few REST endpoints `vercel env ls` and `vercel env add` call, for a linked project whose Production variables are
 * `keys` (by default none of the secrets); what `env add` sends is kept in `added`. The CLI is sent here by its own
 * `api` setting (global config.json under the throwaway HOME).
 */
function startFakeVercelApi(
  keys: readonly string[] = ["OTHER_VARIABLE"],
): Promise<{ server: Server; url: string; unknown: string[]; added: AddedVariable[] }> {
  const unknown: string[] = [];
  const added: AddedVariable[] = [];
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    const { pathname, searchParams } = new URL(request.url ?? "/", "http://localhost");
    const envs = /^\/v\d+\/projects\/prj_1\/env$/.test(pathname);
    if (envs && request.method === "POST" && searchParams.get("upsert") === "true") added.push(JSON.parse(body));
    const answers: [RegExp, unknown][] = [
      [/^\/v2\/user$/, { user: { id: "user_1", username: "tester", email: "tester@example.com" } }],
      [/^(\/v\d+)?\/teams\/team_1$/, { id: "team_1", slug: "team", name: "Team" }],
      [/^\/v\d+\/projects\/prj_1$/, { id: "prj_1", name: "webhooks", accountId: "team_1" }],
      [
        /^\/v\d+\/projects\/prj_1\/env$/,
        request.method === "POST"
          ? { created: {} }
          : { envs: keys.map((key) => ({ key, type: "encrypted", target: ["production"] })) },
      ],
      [/^(\/v\d+)?\/projects\/prj_1\/custom-environments$/, { environments: [] }],
    ];
    const answer = answers.find(([path]) => path.test(pathname))?.[1];
    if (answer === undefined) unknown.push(`${request.method} ${pathname}`);
    response.writeHead(answer === undefined ? 404 : 200, { "content-type": "application/json" });
    response.end(JSON.stringify(answer ?? { error: { code: "not_found", message: "not in this fake" } }));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, unknown, added });
    });
  });
}

/** Runs `use` with the copy linked to the stand-in's project holding `keys`, and the CLI pointed at the stand-in. */
async function withFakeProject(
  keys: readonly string[] | undefined,
  use: (api: Awaited<ReturnType<typeof startFakeVercelApi>>) => Promise<void>,
): Promise<void> {
  const api = await startFakeVercelApi(keys);
  const globalConfig = join(workspace.home, ".local/share/com.vercel.cli");
  try {
    mkdirSync(globalConfig, { recursive: true });
    writeFileSync(join(globalConfig, "config.json"), JSON.stringify({ api: api.url }));
    mkdirSync(join(workspace.repo, ".vercel"), { recursive: true });
    writeFileSync(join(workspace.repo, LINK), JSON.stringify({ projectId: "prj_1", orgId: "team_1" }));
    await use(api);
  } finally {
    api.server.close();
    rmSync(globalConfig, { recursive: true, force: true });
    rmSync(join(workspace.repo, ".vercel"), { recursive: true, force: true });
  }
}

describe("npm run deploy:vercel", () => {
  it("pins the vercel version the emulator suite tests", () => {
    expect(VERCEL_CLI.version).toBe(emulatorManifestVersion("vercel", "vercel"));
  });

  it("logged out and no VERCEL_TOKEN: one line saying so after `vercel whoami`, exit 1, nothing built", async () => {
    workspace.resetCalls();
    const result = await runScript(workspace, "deploy:vercel", [], deployEnv(workspace), 60_000);
    expect(result.code, result.stderr).toBe(1);
    expect(ownLines(result, "deploy:vercel")).toEqual([
      `deploy:vercel: not logged in to Vercel (vercel whoami: logged out): run \`${workspace.cli} login\`, or set VERCEL_TOKEN`,
    ]);
    expect(workspace.calls()).toEqual([["whoami"]]);
    expect(existsSync(join(workspace.repo, "dist"))).toBe(false);
  });

  it("with a token but no project link: says to link and add the secret, without calling the CLI", async () => {
    workspace.resetCalls();
    const result = await runScript(workspace, "deploy:vercel", [], deployEnv(workspace, { VERCEL_TOKEN: "t" }), 30_000);
    expect(result.code, result.stderr).toBe(1);
    expect(ownLines(result, "deploy:vercel")).toEqual([
      expect.stringMatching(
        /^deploy:vercel: this checkout is not linked to a Vercel project, so its secrets cannot be checked or carried: run `.+ link` \(or pass --skip-secret-check\)$/,
      ),
    ]);
    expect(workspace.calls()).toEqual([]);
  });

  it("linked, with the webhook secret but not the secret of an external kind functions/external.ts implements: names it", () =>
    withFakeProject(["COMMERCELAYER_WEBHOOK_SECRET"], async (api) => {
      // The copy's functions/external.ts implements every kind (copyRepository): the payment gateway's comes first.
      const missing = "COMMERCELAYER_PAYMENT_GATEWAY_SECRET";
      workspace.resetCalls();
      const env = deployEnv(workspace, { VERCEL_TOKEN: "t" });
      const result = await runScript(workspace, "deploy:vercel", [], env, 60_000);
      expect(result.code, result.stderr).toBe(1);
      expect(ownLines(result, "deploy:vercel")).toEqual([
        `deploy:vercel: ${missing} is not in .env or this shell to carry, nor set for Production in the linked Vercel project: run \`npm run commercelayer -- apply\` (it reads the attached resources' secrets into .env), or \`${workspace.cli} env add ${missing} production\`, then deploy again`,
      ]);
      expect(workspace.calls()).toEqual([["env", "ls", "production", "--format", "json"]]);
      expect(api.unknown).toEqual([]);
      expect(existsSync(join(workspace.repo, "dist"))).toBe(false);
    }));

  it("--dry-run on a fresh copy: `vercel build` offline with a placeholder link, every function on Node 22+, then the URLs", async () => {
    // apply has run: .env holds the secrets bound to topics, two of the five external resources' secrets (the copy
    // implements every kind), and the integration's credentials.
    writeEnvFile(workspace, {
      COMMERCELAYER_WEBHOOK_TOPIC_SECRETS: TOPIC_SECRETS_VALUE,
      ...EXTERNAL_SECRETS,
      ...COMMERCELAYER_CREDENTIALS,
    });
    workspace.resetCalls();
    const result = await runScript(workspace, "deploy:vercel", ["--dry-run"], deployEnv(workspace), 240_000);
    writeEnvFile(workspace, undefined);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expectNoSecretIn(`${result.stdout}\n${result.stderr}`, "the dry run's output");
    // What a deploy would do with the secrets: names and sizes, nothing run.
    expect(ownLines(result, "deploy:vercel")).toEqual(
      expect.arrayContaining([
        "deploy:vercel: read .env (the shell's own variables win)",
        `deploy:vercel: a deploy would carry ${CARRIED}, ${EXTERNAL_CARRIED.COMMERCELAYER_TAX_CALCULATOR_SECRET} and ${EXTERNAL_CARRIED.COMMERCELAYER_MARKET_SECRET} ${CARRIED_TO}, deploy, then run \`npm run commercelayer -- enable --external-url https://<production-domain>/api/external\` (COMMERCELAYER_PAYMENT_GATEWAY_SECRET, COMMERCELAYER_SHIPPING_METHOD_SECRET and COMMERCELAYER_PROMOTION_SECRET: not here, so the Vercel project's Production variables must hold them already)`,
      ]),
    );
    expect(workspace.calls()).toEqual([
      ["build", "--prod", "--local-config", join(workspace.repo, ".vercel/dry-run-vercel.json")],
    ]);
    expect(`${result.stdout}\n${result.stderr}`).toContain('Skipping "install" command');
    expect(result.stdout).toContain(`the deploy would run: ${workspace.cli} deploy --prod --yes`);
    // vercel.json's build ran inside `vercel build`, and the function is the bundle it wrote, byte for byte.
    const bundle = readFileSync(join(workspace.repo, "dist/vercel/commercelayer-webhook.mjs"));
    expect(bundle.toString("utf8")).toContain(FIXTURE_LINE);
    expect(readFileSync(join(workspace.repo, FUNCTION_DIR, "index.mjs")).equals(bundle)).toBe(true);
    // The placeholder link and the install-less config are gone: a later deploy links for real.
    expect(existsSync(join(workspace.repo, LINK))).toBe(false);
    expect(existsSync(join(workspace.repo, ".vercel/dry-run-vercel.json"))).toBe(false);

    // What Vercel runs each function on, as `vercel build` left it: Node 22 or later, though Node 20 may run this build.
    const functions = outputFunctions(workspace.repo);
    // The webhook and the ten external kinds the copy's functions/external.ts implements.
    expect(functions).toHaveLength(11);
    for (const { route, config } of functions) expectNode22OrLater(config.runtime, route);
    expectLocalNodeLine(result, "deploy:vercel", "nodejs22.x", "infra/build/vercel-output.ts");

    // It ends with a URL for each function of the output (the webhook's first), then where the host is.
    const { urls, rest } = splitUrlLines(endingLines(result, "deploy:vercel"), "deploy:vercel");
    expect(urls[0]).toEqual(["webhooks.callback_url", "https://<production-domain>/api/webhooks/commercelayer"]);
    expect(urls).toContainEqual(["markets.external_prices_url", "https://<production-domain>/api/external/prices"]);
    expect(urls.map(([, url]) => url.replace("https://<production-domain>", "")).sort()).toEqual(
      functions.map(({ route }) => route).sort(),
    );
    expect(rest).toEqual([
      `deploy:vercel: https://<production-domain> is a placeholder: the deploy prints it as "Aliased" (<project>.vercel.app or yours); also under the project's Settings → Domains`,
      "deploy:vercel: next: deploy, then `npm run commercelayer -- status --url https://<production-domain>/api/webhooks/commercelayer --external-url https://<production-domain>/api/external`",
      externalLine("https://<production-domain>/api/external"),
    ]);
  }, 300_000);

  it("a deploy ends with the production domain's URLs and the next command; with apply's secrets in .env (the kinds' first, then the webhooks' too) it sets each on the project through `vercel env add` (stdin), then runs enable --external-url", async () => {
    // vercel prints the deployment's own URL alone on a non-terminal stdout, and the production domain it aliased on
    // stderr, as an aligned label (formatAlignedLabel: the gutter, the label padded to 16).
    const sources = sourcesOf(join(ROOT, "test/emulators/vercel/node_modules/vercel/dist/chunks"));
    for (const printed of VERCEL_PRINTS_URLS) expect(sources).toContain(printed);
    const deployment = "https://cl-webhooks-8x2k1q9zt-team.vercel.app";
    const stderr = [
      "Vercel CLI 60.1.3",
      "Inspect: https://vercel.com/team/cl-webhooks/8x2k1q9zt [2s]",
      // eraseLines(2), which vercel writes to stderr before the label even when it is no terminal.
      `\u001b[2K\u001b[1A\u001b[2K\u001b[G  ${"Production".padEnd(16)}${deployment}`,
      "Building…",
      // As printed with colours (FORCE_COLOR, which the script sets when it writes to a terminal).
      `\u25B2 \u001b[1m${"Aliased".padEnd(16)}\u001b[22m\u001b[1m\u001b[36mhttps://cl-webhooks.vercel.app\u001b[39m\u001b[22m`,
      "",
      "✓ Ready in 21s",
      "",
    ].join("\n");
    const env = deployEnv(workspace, {
      VERCEL_TOKEN: "t",
      ...replayEnv(workspace, { command: "deploy", stdout: deployment, stderr, code: 0 }),
    });
    const callbackUrl = "https://cl-webhooks.vercel.app/api/webhooks/commercelayer";
    const externalUrl = "https://cl-webhooks.vercel.app/api/external";
    const runs = stubCommerceLayerCommand(workspace, 0);
    // Two kinds (the tax calculator's and the market's), whose secrets the project does not hold: .env does.
    const external = join(workspace.repo, "functions/external.ts");
    const every = readFileSync(external, "utf8");
    writeFileSync(external, SOME_EXTERNAL_HANDLERS);
    try {
      await withFakeProject(undefined, async (api) => {
        // The first deploy: `apply` without --url has read the kinds' secrets into .env (the webhooks need the URL this
        // deploy prints). The kinds' secrets pass the check because the deploy carries them, each through its own
        // `vercel env add` (value on stdin); the webhook has none yet, which the deploy says. Then enable points the
        // resources at the deployment, and the next command is apply.
        writeEnvFile(workspace, { ...EXTERNAL_SECRETS, ...COMMERCELAYER_CREDENTIALS });
        workspace.resetCalls();
        const first = await runScript(workspace, "deploy:vercel", [], env, 120_000);
        expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0);
        expect(workspace.calls()).toEqual([
          ["env", "ls", "production", "--format", "json"],
          ["env", "add", "COMMERCELAYER_TAX_CALCULATOR_SECRET", "production", "--sensitive", "--force", "--yes"],
          ["env", "add", "COMMERCELAYER_MARKET_SECRET", "production", "--sensitive", "--force", "--yes"],
          ["deploy", "--prod", "--yes"],
        ]);
        expect(api.added).toEqual(
          Object.entries(EXTERNAL_SECRETS).map(([key, value]) =>
            expect.objectContaining({ type: "sensitive", key, value, target: ["production"] }),
          ),
        );
        expectLocalNodeLine(first, "deploy:vercel", "nodejs22.x", "infra/build/vercel-output.ts");
        expectNoSecretIn(`${first.stdout}\n${first.stderr}`, "the deploy's output");
        expect(ownLines(first, "deploy:vercel")).toEqual(
          expect.arrayContaining([
            "deploy:vercel: no webhook secret yet (neither COMMERCELAYER_WEBHOOK_TOPIC_SECRETS nor COMMERCELAYER_WEBHOOK_SECRET is among the Vercel project's Production variables, and no COMMERCELAYER_WEBHOOK_TOPIC_SECRETS in .env or this shell to carry): this deployment answers every delivery 500 no_secret_configured until apply's secrets are deployed",
            `deploy:vercel: carrying ${EXTERNAL_CARRIED.COMMERCELAYER_TAX_CALCULATOR_SECRET} and ${EXTERNAL_CARRIED.COMMERCELAYER_MARKET_SECRET} ${CARRIED_TO}`,
          ]),
        );
        expect(runs()).toEqual([
          {
            args: ["enable", "--external-url", externalUrl],
            credentials: true,
            topicSecrets: false,
            externalSecrets: Object.keys(EXTERNAL_SECRETS),
          },
        ]);
        // The deployment's URL went through to the terminal, on a line of its own.
        expect(first.stdout.split("\n")).toContain(deployment);
        const { urls, rest } = splitUrlLines(endingLines(first, "deploy:vercel"), "deploy:vercel");
        expect(urls).toEqual([
          ["webhooks.callback_url", callbackUrl],
          ["external_tax_calculators.tax_calculator_url", `${externalUrl}/tax-calculator`],
          ["markets.external_prices_url", `${externalUrl}/prices`],
        ]);
        expect(rest).toEqual([
          `deploy:vercel: next: \`npm run commercelayer -- apply --url ${callbackUrl}\` (it creates the webhooks, disabled, and writes their secrets to .env), then deploy again: the deploy carries the secrets and runs enable`,
          externalLine(externalUrl),
        ]);

        // apply --url has run too: .env holds the secrets bound to topics as well. The deploy sets the three variables,
        // deploys, runs enable again, and ends with status.
        writeEnvFile(workspace, {
          COMMERCELAYER_WEBHOOK_TOPIC_SECRETS: TOPIC_SECRETS_VALUE,
          ...EXTERNAL_SECRETS,
          ...COMMERCELAYER_CREDENTIALS,
        });
        workspace.resetCalls();
        const second = await runScript(workspace, "deploy:vercel", [], env, 120_000);
        expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(0);
        expect(workspace.calls()).toEqual([
          ["env", "ls", "production", "--format", "json"],
          ["env", "add", "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", "production", "--sensitive", "--force", "--yes"],
          ["env", "add", "COMMERCELAYER_TAX_CALCULATOR_SECRET", "production", "--sensitive", "--force", "--yes"],
          ["env", "add", "COMMERCELAYER_MARKET_SECRET", "production", "--sensitive", "--force", "--yes"],
          ["deploy", "--prod", "--yes"],
        ]);
        // What reached Vercel: Secrets for Production, overwriting the ones there (upsert), with the exact values.
        expect(api.added.slice(2)).toEqual(
          Object.entries({ COMMERCELAYER_WEBHOOK_TOPIC_SECRETS: TOPIC_SECRETS_VALUE, ...EXTERNAL_SECRETS }).map(
            ([key, value]) => expect.objectContaining({ type: "sensitive", key, value, target: ["production"] }),
          ),
        );
        expect(api.unknown).toEqual([]);
        expectNoSecretIn(`${second.stdout}\n${second.stderr}`, "the deploy's output");
        expect(ownLines(second, "deploy:vercel")).toEqual(
          expect.arrayContaining([
            "deploy:vercel: read .env (the shell's own variables win)",
            `deploy:vercel: carrying ${CARRIED}, ${EXTERNAL_CARRIED.COMMERCELAYER_TAX_CALCULATOR_SECRET} and ${EXTERNAL_CARRIED.COMMERCELAYER_MARKET_SECRET} ${CARRIED_TO}`,
          ]),
        );
        expect(runs()[1]).toEqual({
          args: ["enable", "--external-url", externalUrl],
          credentials: true,
          topicSecrets: true,
          externalSecrets: Object.keys(EXTERNAL_SECRETS),
        });
        expect(splitUrlLines(endingLines(second, "deploy:vercel"), "deploy:vercel").rest).toEqual([
          `deploy:vercel: next: \`npm run commercelayer -- status --url ${callbackUrl} --external-url ${externalUrl}\``,
          externalLine(externalUrl),
        ]);
      });
    } finally {
      writeEnvFile(workspace, undefined);
      writeFileSync(external, every);
    }
  }, 240_000);
});
