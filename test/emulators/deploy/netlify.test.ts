// `npm run deploy:netlify` through the real script and netlify-cli (test/emulators/netlify): it stops before building
// when the login or the site link is missing, when netlify.toml does not pin the functions to Node 22 or later, or when
// the secrets would not fit in a function's 4 KB environment (every Functions variable goes to every function: the
// webhook's and the external kinds' count together); `--dry-run` runs `netlify build --offline` on a fresh copy, which
// packages every function for the pinned runtime whatever Node.js runs it; both a dry run and a deploy end with the URLs
// to set in Commerce Layer and the next command. A deploy reads the copy's .env: the secrets bound to topics there, and
// the secret of each external kind implemented, go to the site through the real `env:import` (one file for them all,
// only its owner can read it, deleted after), then `env:set --secret --scope functions` and `env:unset --context` for
// each, against a local stand-in of Netlify's environment variables API; a kind's secret carried so needs not be on the
// site. Then `enable --external-url https://<site>.netlify.app/external` (a stand-in here) runs after the deploy when the
// integration's credentials are there too. No secret is ever printed or put in a command line.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NETLIFY_CLI } from "../../../infra/deploy/platform-cli.ts";
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
  splitUrlLines,
  stubCommerceLayerCommand,
  TOPIC_SECRETS_VALUE,
  type Workspace,
  writeEnvFile,
} from "./deploy-script.ts";

const NETLIFY_CLI_DIST = join(ROOT, "test/emulators/netlify/node_modules/netlify-cli/dist");
const PIN_LINE = '  AWS_LAMBDA_JS_RUNTIME = "nodejs22.x"\n';
/** The last line, with external kinds deployed below `prefix`. */
const externalLine = (prefix: string) =>
  `deploy:netlify: external resources: \`npm run commercelayer -- apply\` writes their shared_secrets to .env (the resources functions/external-attachments.ts names), a deploy carries them to the Netlify site's variables (Functions scope), then \`npm run commercelayer -- enable --external-url ${prefix}\` sets each attribute above (docs/external-resources.md)`;
const CARRIED = `COMMERCELAYER_WEBHOOK_TOPIC_SECRETS (2 secrets, ${Buffer.byteLength(TOPIC_SECRETS_VALUE)} bytes)`;
const CARRIED_TO = "to the Netlify site's variables (each a secret, Functions scope, Production only)";
/** The next command after a deploy that carried no secrets bound to topics. */
const APPLY_LINE =
  "deploy:netlify: next: `npm run commercelayer -- apply --url https://cl-webhooks.netlify.app/webhooks/commercelayer` (it creates the webhooks, disabled, and writes their secrets to .env), then deploy again: the deploy carries the secrets and runs enable";
/** Preloaded into netlify-cli when it talks to the stand-in (see the file). */
const EXTENSIONS_OFFLINE = join(ROOT, "test/emulators/deploy/netlify-extensions-offline.mjs");

/** functions/external.ts as the template ships it: no kind. */
const NO_EXTERNAL_HANDLERS = `import { defineExternalHandlers } from "../shared/external/handlers-file.ts";
export const externalHandlers = defineExternalHandlers({});
`;

interface ManifestFunction {
  name: string;
  runtimeVersion?: string;
  routes?: { pattern: string }[];
}

/** A site variable as Netlify's API (Envelope) holds it. */
interface SiteVariable {
  key: string;
  scopes: string[];
  is_secret?: boolean;
  values: { id: string; context: string; value: string }[];
}

/**
 * The endpoints of Netlify's API that netlify-cli's site resolution and its env commands call (getSite,
 * listAccountsForUser, getEnvVars, createEnvVars, updateEnvVar, deleteEnvVar, deleteEnvVarValue), for the site
 * `site_1` of the account `team`, holding `variables`. The CLI is sent here by NETLIFY_API_URL. `unknown` lists the
 * requests it made that this stand-in does not answer; `created`, the keys each createEnvVars call (env:import) sent.
 */
function startFakeNetlifyApi(variables: SiteVariable[]): Promise<{
  server: Server;
  url: string;
  unknown: string[];
  variables: Map<string, SiteVariable>;
  created: string[][];
}> {
  const held = new Map(variables.map((variable) => [variable.key, variable]));
  const unknown: string[] = [];
  const created: string[][] = [];
  let ids = 100;
  const withIds = (values: { context: string; value: string }[]) =>
    values.map((value) => ({ id: `v${ids++}`, ...value }));
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    const { pathname, searchParams } = new URL(request.url ?? "/", "http://localhost");
    const route = `${request.method} ${pathname}`;
    const send = (status: number, answer?: unknown) => {
      response.writeHead(status, answer === undefined ? {} : { "content-type": "application/json" });
      response.end(answer === undefined ? undefined : JSON.stringify(answer));
    };
    const variableMatch = /^\/api\/v1\/accounts\/team\/env\/([^/]+)$/.exec(pathname);
    const valueMatch = /^\/api\/v1\/accounts\/team\/env\/([^/]+)\/value\/([^/]+)$/.exec(pathname);
    if (route === "GET /api/v1/sites/site_1") {
      return send(200, {
        id: "site_1",
        name: "cl-webhooks",
        account_slug: "team",
        account_id: "account_1",
        url: "https://cl-webhooks.netlify.app",
        use_envelope: true,
        build_settings: { env: {} },
      });
    }
    if (route === "GET /api/v1/accounts") return send(200, [{ id: "account_1", slug: "team", name: "Team" }]);
    if (pathname === "/api/v1/accounts/team/env") {
      // The team's shared variables (asked without a site): none.
      if (request.method === "GET") return send(200, searchParams.has("site_id") ? [...held.values()] : []);
      if (request.method === "POST") {
        const sent = JSON.parse(body) as SiteVariable[];
        created.push(sent.map((variable) => variable.key));
        for (const variable of sent) held.set(variable.key, { ...variable, values: withIds(variable.values) });
        return send(201, sent);
      }
    }
    if (variableMatch) {
      const key = decodeURIComponent(variableMatch[1] ?? "");
      if (request.method === "PUT") {
        const updated = JSON.parse(body) as SiteVariable;
        held.set(key, { ...updated, values: withIds(updated.values) });
        return send(200, updated);
      }
      if (request.method === "DELETE") {
        held.delete(key);
        return send(204);
      }
    }
    if (valueMatch) {
      const variable = held.get(decodeURIComponent(valueMatch[1] ?? ""));
      if (request.method === "DELETE" && variable !== undefined) {
        variable.values = variable.values.filter((value) => value.id !== valueMatch[2]);
        return send(204);
      }
    }
    unknown.push(route);
    send(404, { code: 404, message: "not in this stand-in" });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, unknown, variables: held, created });
    });
  });
}

let workspace: Workspace;

beforeAll(() => {
  workspace = createWorkspace(EMULATOR_CLIS.netlify);
});

afterAll(() => {
  if (workspace !== undefined) rmSync(workspace.temp, { recursive: true, force: true });
});

describe("npm run deploy:netlify", () => {
  it("pins the netlify-cli version the emulator suite tests", () => {
    expect(NETLIFY_CLI.version).toBe(emulatorManifestVersion("netlify", "netlify-cli"));
  });

  it("logged out and no NETLIFY_AUTH_TOKEN: one line saying so after `netlify status`, exit 1, nothing built", async () => {
    workspace.resetCalls();
    const result = await runScript(workspace, "deploy:netlify", [], deployEnv(workspace), 60_000);
    expect(result.code, result.stderr).toBe(1);
    expect(ownLines(result, "deploy:netlify")).toEqual([
      `deploy:netlify: not logged in to Netlify: run \`${workspace.cli} login\`, or set NETLIFY_AUTH_TOKEN`,
    ]);
    expect(workspace.calls()).toEqual([["status"]]);
    expect(existsSync(join(workspace.repo, "dist"))).toBe(false);
  });

  it("with a token but no linked site: says to link and set the secret, without calling the CLI", async () => {
    workspace.resetCalls();
    const env = deployEnv(workspace, { NETLIFY_AUTH_TOKEN: "t" });
    const result = await runScript(workspace, "deploy:netlify", [], env, 30_000);
    expect(result.code, result.stderr).toBe(1);
    expect(ownLines(result, "deploy:netlify")).toEqual([
      expect.stringMatching(
        /^deploy:netlify: this checkout is not linked to a Netlify site, so its secrets cannot be checked or carried: run `.+ link` \(or set NETLIFY_SITE_ID\), or pass --skip-secret-check$/,
      ),
    ]);
    expect(workspace.calls()).toEqual([]);
    expect(existsSync(join(workspace.repo, "dist"))).toBe(false);
  });

  it("netlify.toml without a Node 22+ runtime pin: one line naming the setting, nothing run", async () => {
    const toml = join(workspace.repo, "netlify.toml");
    const pinned = readFileSync(toml, "utf8");
    expect(pinned).toContain(PIN_LINE);
    try {
      for (const [text, found] of [
        [pinned.replace(PIN_LINE, ""), "pins no function runtime"],
        [pinned.replace(PIN_LINE, PIN_LINE.replace("nodejs22.x", "nodejs20.x")), "pins the functions to nodejs20.x"],
      ] as const) {
        writeFileSync(toml, text);
        workspace.resetCalls();
        const result = await runScript(workspace, "deploy:netlify", ["--dry-run"], deployEnv(workspace), 30_000);
        expect(result.code, result.stderr).toBe(1);
        expect(ownLines(result, "deploy:netlify")).toEqual([
          `deploy:netlify: netlify.toml ${found}: set AWS_LAMBDA_JS_RUNTIME = "nodejs22.x" under [build.environment], so they run on Node 22 or later`,
        ]);
        expect(workspace.calls()).toEqual([]);
      }
    } finally {
      writeFileSync(toml, pinned);
    }
  });

  it("secrets bound to topics that a function's 4 KB environment cannot hold (Netlify's run on Lambda): one line, nothing run", async () => {
    // 60 webhooks of about 70 bytes each, as apply would write them for 60 topics; with the plain secret from the shell.
    const many = Array.from({ length: 60 }, (_, index) => `orders.topic_${index}=${"A".repeat(44)}==`).join(",");
    writeEnvFile(workspace, { COMMERCELAYER_WEBHOOK_TOPIC_SECRETS: many });
    try {
      workspace.resetCalls();
      const env = deployEnv(workspace, { NETLIFY_AUTH_TOKEN: "t", COMMERCELAYER_WEBHOOK_SECRET: "plain" });
      const result = await runScript(workspace, "deploy:netlify", [], env, 30_000);
      expect(result.code, result.stderr).toBe(1);
      const bytes =
        "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS".length + many.length + "COMMERCELAYER_WEBHOOK_SECRETplain".length;
      expect(ownLines(result, "deploy:netlify")).toEqual([
        "deploy:netlify: read .env (the shell's own variables win)",
        `deploy:netlify: COMMERCELAYER_WEBHOOK_TOPIC_SECRETS and COMMERCELAYER_WEBHOOK_SECRET take ${bytes} bytes, over the 3584 left for them in a function's environment (AWS Lambda allows 4096 bytes for all its variables; 512 are kept for the others): handle fewer topics (name them instead of "*" or "resource.*"), or, for a "*" handler, configure its webhooks by hand with their secrets in COMMERCELAYER_WEBHOOK_SECRET (no topic names: about 45 bytes a webhook)`,
      ]);
      expect(result.stdout + result.stderr).not.toContain("A".repeat(44));
      expect(workspace.calls()).toEqual([]);

      // 45 webhooks fit alone; with fourteen markets' secrets they do not: a site's Functions variables go to every
      // function, so the webhook's and the kinds' share one environment (the copy implements every kind).
      const webhooks = many.split(",").slice(0, 45).join(",");
      expect("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS".length + webhooks.length).toBeLessThan(3584);
      const markets = Array.from({ length: 14 }, (_, index) => `market-${index}-${"B".repeat(44)}`).join(",");
      writeEnvFile(workspace, { COMMERCELAYER_WEBHOOK_TOPIC_SECRETS: webhooks, COMMERCELAYER_MARKET_SECRET: markets });
      const shared = await runScript(
        workspace,
        "deploy:netlify",
        [],
        deployEnv(workspace, { NETLIFY_AUTH_TOKEN: "t" }),
        30_000,
      );
      expect(shared.code, shared.stderr).toBe(1);
      const sharedBytes =
        "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS".length +
        webhooks.length +
        "COMMERCELAYER_MARKET_SECRET".length +
        markets.length;
      expect(ownLines(shared, "deploy:netlify")).toEqual([
        "deploy:netlify: read .env (the shell's own variables win)",
        `deploy:netlify: COMMERCELAYER_WEBHOOK_TOPIC_SECRETS and COMMERCELAYER_MARKET_SECRET take ${sharedBytes} bytes, over the 3584 left for them in a function's environment (AWS Lambda allows 4096 bytes for all its variables; 512 are kept for the others): handle fewer topics (name them instead of "*" or "resource.*"), or, for a "*" handler, configure its webhooks by hand with their secrets in COMMERCELAYER_WEBHOOK_SECRET (no topic names: about 45 bytes a webhook); or attach fewer resources to a kind in functions/external-attachments.ts (each adds its shared_secret to its kind's variable)`,
      ]);
      expect(shared.stdout + shared.stderr).not.toContain("B".repeat(44));
      expect(workspace.calls()).toEqual([]);
    } finally {
      writeEnvFile(workspace, undefined);
    }
  });

  it("--dry-run on a fresh copy: `netlify build --offline` packages every function for nodejs22.x, then the URLs", async () => {
    // apply has run: the secrets bound to topics are in .env, the integration's credentials in neither .env nor shell.
    writeEnvFile(workspace, { COMMERCELAYER_WEBHOOK_TOPIC_SECRETS: TOPIC_SECRETS_VALUE });
    workspace.resetCalls();
    const result = await runScript(workspace, "deploy:netlify", ["--dry-run"], deployEnv(workspace), 240_000);
    writeEnvFile(workspace, undefined);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expectNoSecretIn(`${result.stdout}\n${result.stderr}`, "the dry run's output");
    expect(ownLines(result, "deploy:netlify")).toEqual(
      expect.arrayContaining([
        "deploy:netlify: read .env (the shell's own variables win)",
        `deploy:netlify: a deploy would carry ${CARRIED} ${CARRIED_TO}, deploy, and not run enable (no COMMERCELAYER_CLIENT_ID and COMMERCELAYER_CLIENT_SECRET in .env or this shell) (COMMERCELAYER_PAYMENT_GATEWAY_SECRET, COMMERCELAYER_TAX_CALCULATOR_SECRET, COMMERCELAYER_MARKET_SECRET, COMMERCELAYER_SHIPPING_METHOD_SECRET and COMMERCELAYER_PROMOTION_SECRET: not here, so the Netlify site's Functions variables must hold them already)`,
      ]),
    );
    expect(workspace.calls()).toEqual([["build", "--offline", "--context", "production"]]);
    expect(result.stdout).toContain(`the deploy would run: ${workspace.cli} deploy --prod`);
    expect(readFileSync(join(workspace.repo, "dist/netlify/commercelayer-webhook.mjs"), "utf8")).toContain(
      FIXTURE_LINE,
    );
    const manifest = JSON.parse(readFileSync(join(workspace.repo, ".netlify/functions/manifest.json"), "utf8")) as {
      functions: ManifestFunction[];
    };
    // The copy's functions/external.ts implements every external kind (copyRepository): their function is packaged too.
    expect(manifest.functions.map((entry) => entry.name).sort()).toEqual([
      "commercelayer-external",
      "commercelayer-webhook",
      "commercelayer-webhook-legacy",
      "commercelayer-webhook-worker-background",
    ]);
    // The runtime `netlify deploy` uploads each function with: the pin's, though Node 20 may run this build.
    for (const fn of manifest.functions) expectNode22OrLater(fn.runtimeVersion, fn.name);
    expectLocalNodeLine(result, "deploy:netlify", "nodejs22.x", "netlify.toml");

    // It ends with a URL for each path the packaged functions serve (the webhook's first), then where the host is.
    const { urls, rest } = splitUrlLines(endingLines(result, "deploy:netlify"), "deploy:netlify");
    const routes = manifest.functions.flatMap((fn) => fn.routes?.map((route) => route.pattern) ?? []);
    expect(urls[0]).toEqual(["webhooks.callback_url", "https://<site>.netlify.app/webhooks/commercelayer"]);
    expect(urls).toContainEqual([
      "external_tax_calculators.tax_calculator_url",
      "https://<site>.netlify.app/external/tax-calculator",
    ]);
    expect(urls.map(([, url]) => url.replace("https://<site>.netlify.app", "")).sort()).toEqual(routes.sort());
    expect(rest).toEqual([
      `deploy:netlify: https://<site>.netlify.app is a placeholder: the deploy prints it as "Production URL"; later, \`${workspace.cli} status\` (Project URL)`,
      "deploy:netlify: next: deploy, then `npm run commercelayer -- enable --external-url https://<site>.netlify.app/external`, then `npm run commercelayer -- status --url https://<site>.netlify.app/webhooks/commercelayer --external-url https://<site>.netlify.app/external`",
      externalLine("https://<site>.netlify.app/external"),
    ]);
  }, 300_000);

  it("a deploy ends with the site's URLs, read from what `netlify deploy --prod` printed", async () => {
    // netlify-cli prints the site's URL this way to a non-terminal stdout (the script pipes it), after the build logs.
    const deployJs = readFileSync(join(NETLIFY_CLI_DIST, "commands/deploy/deploy.js"), "utf8");
    expect(deployJs).toContain("else if (!isInteractive()) {\n        if (deployToProduction) {");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the CLI's source, as written.
    expect(deployJs).toContain("log(`\\nProduction URL: <${results.siteUrl}>`);");
    const stdout = [
      "",
      "Deploying to Netlify",
      "─".repeat(64),
      "",
      "🚀 Deploy complete",
      "─".repeat(64),
      "",
      "Production URL: <https://cl-webhooks.netlify.app>",
      "Unique deploy URL: <https://6650f00d1a2b3c--cl-webhooks.netlify.app>",
      "",
      "Build logs: <https://app.netlify.com/projects/cl-webhooks/deploys/6650f00d1a2b3c>",
      "Function logs: <https://app.netlify.com/projects/cl-webhooks/logs/functions>",
      "Edge function logs: <https://app.netlify.com/projects/cl-webhooks/logs/edge-functions>",
      "",
    ].join("\n");
    workspace.resetCalls();
    const env = deployEnv(workspace, {
      NETLIFY_AUTH_TOKEN: "t",
      ...replayEnv(workspace, { command: "deploy", stdout, stderr: "", code: 0 }),
    });
    const result = await runScript(workspace, "deploy:netlify", ["--skip-secret-check"], env, 60_000);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(workspace.calls()).toEqual([["deploy", "--prod"]]);
    expect(result.stdout).toContain("Production URL: <https://cl-webhooks.netlify.app>");
    expectLocalNodeLine(result, "deploy:netlify", "nodejs22.x", "netlify.toml");
    const { urls, rest } = splitUrlLines(endingLines(result, "deploy:netlify"), "deploy:netlify");
    expect(urls[0]).toEqual(["webhooks.callback_url", "https://cl-webhooks.netlify.app/webhooks/commercelayer"]);
    expect(urls).toHaveLength(11);
    for (const [, url] of urls) expect(url).toMatch(/^https:\/\/cl-webhooks\.netlify\.app\/(webhooks|external)\//);
    expect(rest).toEqual([APPLY_LINE, externalLine("https://cl-webhooks.netlify.app/external")]);

    // As the template ships, functions/external.ts implements no kind: the webhook's URL alone.
    const external = join(workspace.repo, "functions/external.ts");
    const every = readFileSync(external, "utf8");
    try {
      writeFileSync(external, NO_EXTERNAL_HANDLERS);
      const webhookOnly = await runScript(workspace, "deploy:netlify", ["--skip-secret-check"], env, 60_000);
      expect(webhookOnly.code, `${webhookOnly.stdout}\n${webhookOnly.stderr}`).toBe(0);
      expect(endingLines(webhookOnly, "deploy:netlify")).toEqual([
        "deploy:netlify: webhooks.callback_url: https://cl-webhooks.netlify.app/webhooks/commercelayer",
        APPLY_LINE,
      ]);
    } finally {
      writeFileSync(external, every);
    }
  });
  it("with apply's secrets in .env: sets each on the site as a Functions secret for Production, never in a command line, then deploys and runs enable --external-url", async () => {
    // netlify's env commands read these two places of its source: what they print when done.
    const envJs = ["env-import", "env-set", "env-unset"]
      .map((name) => readFileSync(join(NETLIFY_CLI_DIST, `commands/env/${name}.js`), "utf8"))
      .join("\n");
    expect(envJs).toContain("new AsciiTable(`Imported environment variables`)");
    expect(envJs).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the CLI's source, as written.
      "log(`Set environment variable ${chalk.yellow(`${key}${value && !secret ? `=${value}` : ''}`)}",
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the CLI's source, as written.
    expect(envJs).toContain("log(`Unset environment variable ${chalk.yellow(key)} in the");
    // Two kinds (the tax calculator's and the market's): the site holds the tax calculator's secret, set by hand; .env
    // holds the market's, which apply wrote, and the secrets bound to topics.
    const external = join(workspace.repo, "functions/external.ts");
    const every = readFileSync(external, "utf8");
    writeFileSync(external, SOME_EXTERNAL_HANDLERS);
    const byHand = {
      key: "COMMERCELAYER_TAX_CALCULATOR_SECRET",
      scopes: ["functions"],
      is_secret: true,
      values: [{ id: "x0", context: "production", value: "tax-calculator-secret-set-by-hand" }],
    };
    const api = await startFakeNetlifyApi([byHand]);
    mkdirSync(join(workspace.repo, ".netlify"), { recursive: true });
    writeFileSync(join(workspace.repo, ".netlify/state.json"), JSON.stringify({ siteId: "site_1" }));
    const market = EXTERNAL_SECRETS.COMMERCELAYER_MARKET_SECRET;
    writeEnvFile(workspace, {
      COMMERCELAYER_WEBHOOK_TOPIC_SECRETS: TOPIC_SECRETS_VALUE,
      COMMERCELAYER_MARKET_SECRET: market,
      ...COMMERCELAYER_CREDENTIALS,
    });
    const runs = stubCommerceLayerCommand(workspace, 0);
    try {
      workspace.resetCalls();
      const env = deployEnv(workspace, {
        NETLIFY_AUTH_TOKEN: "t",
        NETLIFY_API_URL: api.url,
        NODE_OPTIONS: `--import ${EXTENSIONS_OFFLINE}`,
        ...replayEnv(workspace, {
          command: "deploy",
          stdout: "\nProduction URL: <https://cl-webhooks.netlify.app>\n",
          stderr: "",
          code: 0,
        }),
      });
      const result = await runScript(workspace, "deploy:netlify", [], env, 180_000);
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      const calls = workspace.calls();
      const [imported] = workspace.fileArguments();
      const others = ["--context", "deploy-preview", "branch-deploy", "dev", "dev-server", "--force"];
      expect(calls).toEqual([
        ["env:list", "--json", "--context", "production", "--scope", "functions", "--site", "site_1"],
        ["env:import", imported?.path],
        ["env:set", "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", "--secret", "--scope", "functions", "--force"],
        ["env:set", "COMMERCELAYER_MARKET_SECRET", "--secret", "--scope", "functions", "--force"],
        ["env:unset", "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", ...others],
        ["env:unset", "COMMERCELAYER_MARKET_SECRET", ...others],
        ["deploy", "--prod"],
      ]);
      // The values went through one file only its owner could read, gone once the deploy is done; never an argument.
      expect(api.created).toEqual([["COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", "COMMERCELAYER_MARKET_SECRET"]]);
      expect(imported?.mode).toBe(0o600);
      expect(existsSync(imported?.path ?? "")).toBe(false);
      expectNoSecretIn(JSON.stringify(calls), "the CLI's command lines");
      expectNoSecretIn(`${result.stdout}\n${result.stderr}`, "the deploy's output");
      // What the site holds: secrets, for Functions only, in Production only, with the exact values; the one set by
      // hand as it was.
      for (const [key, value] of [
        ["COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", TOPIC_SECRETS_VALUE],
        ["COMMERCELAYER_MARKET_SECRET", market],
      ] as const) {
        const carried = api.variables.get(key);
        expect(carried, key).toMatchObject({ is_secret: true, scopes: ["functions"] });
        expect(
          carried?.values.map(({ context, value }) => ({ context, value })),
          key,
        ).toEqual([{ context: "production", value }]);
      }
      expect(api.variables.get("COMMERCELAYER_TAX_CALCULATOR_SECRET")).toEqual(byHand);
      expect(api.unknown).toEqual([]);
      expect(ownLines(result, "deploy:netlify")).toEqual(
        expect.arrayContaining([
          "deploy:netlify: read .env (the shell's own variables win)",
          `deploy:netlify: carrying ${CARRIED} and ${EXTERNAL_CARRIED.COMMERCELAYER_MARKET_SECRET} ${CARRIED_TO}`,
        ]),
      );
      expect(runs()).toEqual([
        {
          args: ["enable", "--external-url", "https://cl-webhooks.netlify.app/external"],
          credentials: true,
          topicSecrets: true,
          externalSecrets: ["COMMERCELAYER_MARKET_SECRET"],
        },
      ]);
      expect(splitUrlLines(endingLines(result, "deploy:netlify"), "deploy:netlify").rest).toEqual([
        "deploy:netlify: next: `npm run commercelayer -- status --url https://cl-webhooks.netlify.app/webhooks/commercelayer --external-url https://cl-webhooks.netlify.app/external`",
        externalLine("https://cl-webhooks.netlify.app/external"),
      ]);
    } finally {
      api.server.close();
      writeEnvFile(workspace, undefined);
      writeFileSync(external, every);
      rmSync(join(workspace.repo, ".netlify/state.json"), { force: true });
    }
  }, 240_000);
});
