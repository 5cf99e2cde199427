// `npm run deploy:aws` through the real script and Serverless Framework v3 (test/emulators/aws-lambda): it stops before
// building when AWS credentials or a secret are missing (the webhook's, and that of each external kind
// functions/external.ts implements), `--dry-run` packages a fresh copy offline, and serverless.yml itself refuses to
// package without the bundles, saying to run `npm run build`. From the secrets test on, the copy's functions/external.ts
// re-exports test/fixtures/external-some-handlers.ts (two kinds), so the dry run packages an external function too.
// The script refuses a serverless.yml without a Node 22+ runtime; the dry run's CloudFormation template names that
// runtime for every function, whatever Node.js ran it. A dry run and a deploy end with the URLs for Commerce Layer.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVERLESS_CLI } from "../../../infra/deploy/platform-cli.ts";
import { SOME_KINDS } from "../../fixtures/external-some-handlers.ts";
import { FIXTURE_LINE } from "../../fixtures/handlers.ts";
import { readZip } from "../netlify/suite/netlify-cli.ts";
import { ROOT } from "../repository-copy.ts";
import {
  createWorkspace,
  deployEnv,
  EMULATOR_CLIS,
  emulatorManifestVersion,
  endingLines,
  expectLocalNodeLine,
  expectNode22OrLater,
  ownLines,
  replayEnv,
  runCommand,
  runScript,
  splitUrlLines,
  type Workspace,
  writeInto,
} from "./deploy-script.ts";

const RECEIVING = "dist/aws-lambda/commercelayer-webhook.mjs";
const WORKER = "dist/aws-lambda/commercelayer-webhook-worker.mjs";
const EXTERNAL = "dist/aws-lambda/commercelayer-external.mjs";
/** The copy's functions/external.ts: two kinds, of two resources (COMMERCELAYER_TAX_CALCULATOR_SECRET, _MARKET_). */
const SOME_EXTERNAL_HANDLERS = `// Written by test/emulators/deploy/aws-lambda.test.ts: two external kinds.
export { externalHandlers } from "../test/fixtures/external-some-handlers.ts";
`;
/** Keys in AWS's documented example format, never valid anywhere. */
const EXAMPLE_KEYS = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

const RUNTIME_LINE = "  runtime: nodejs22.x\n";
const PLACEHOLDER = "https://<api-id>.execute-api.<region>.amazonaws.com";
/** The next step's last line, with the two external kinds of the copy. */
const SECRET_LINE =
  "deploy:aws: the shared_secrets go in the shell you deploy from: the webhook's in COMMERCELAYER_WEBHOOK_SECRET, the others per docs/environment.md";

let workspace: Workspace;

beforeAll(() => {
  workspace = createWorkspace(EMULATOR_CLIS.serverless);
});

afterAll(() => {
  if (workspace !== undefined) rmSync(workspace.temp, { recursive: true, force: true });
});

describe("npm run deploy:aws", () => {
  it("pins the Serverless version the emulator suite tests", () => {
    expect(SERVERLESS_CLI.version).toBe(emulatorManifestVersion("aws-lambda", "serverless"));
  });

  it("without AWS credentials: one line saying so, exit 1, nothing built, no serverless command", async () => {
    workspace.resetCalls();
    const result = await runScript(workspace, "deploy:aws", [], deployEnv(workspace), 30_000);
    expect(result.code, result.stderr).toBe(1);
    expect(ownLines(result, "deploy:aws")).toEqual([expect.stringMatching(/^deploy:aws: no AWS credentials found \(/)]);
    expect(result.stderr).toContain("aws configure");
    expect(workspace.calls()).toEqual([]);
    expect(existsSync(join(workspace.repo, "dist"))).toBe(false);
  });

  it("with credentials (keys, a profile, or ~/.aws/credentials) but no secret: says the secret is missing", async () => {
    const envs = [
      deployEnv(workspace, EXAMPLE_KEYS),
      deployEnv(workspace, { AWS_PROFILE: "deployer" }),
      deployEnv(workspace, { COMMERCELAYER_WEBHOOK_SECRET: "" }),
    ];
    for (const [index, env] of envs.entries()) {
      // The last one finds the shared credentials file, as Serverless's AWS SDK would.
      if (index === 2) writeInto(join(workspace.home, ".aws/credentials"), "[default]\naws_access_key_id = x\n");
      workspace.resetCalls();
      const result = await runScript(workspace, "deploy:aws", [], env, 30_000);
      expect(result.code, result.stderr).toBe(1);
      expect(ownLines(result, "deploy:aws")).toEqual([
        expect.stringMatching(/^deploy:aws: COMMERCELAYER_WEBHOOK_SECRET is not set in this shell: /),
      ]);
      expect(workspace.calls()).toEqual([]);
    }
    rmSync(join(workspace.home, ".aws"), { recursive: true });
    expect(existsSync(join(workspace.repo, "dist"))).toBe(false);
  }, 90_000);

  it("with credentials and the webhook secret: says which implemented external kind's secret is missing", async () => {
    writeFileSync(join(workspace.repo, "functions/external.ts"), SOME_EXTERNAL_HANDLERS);
    const secrets = { ...EXAMPLE_KEYS, COMMERCELAYER_WEBHOOK_SECRET: "whsec" };
    for (const [env, missing] of [
      [secrets, "COMMERCELAYER_TAX_CALCULATOR_SECRET"],
      [{ ...secrets, COMMERCELAYER_TAX_CALCULATOR_SECRET: "tax" }, "COMMERCELAYER_MARKET_SECRET"],
    ] as const) {
      workspace.resetCalls();
      const result = await runScript(workspace, "deploy:aws", [], deployEnv(workspace, env), 30_000);
      expect(result.code, result.stderr).toBe(1);
      expect(ownLines(result, "deploy:aws")).toEqual([
        expect.stringMatching(new RegExp(`^deploy:aws: ${missing} is not set in this shell: `)),
      ]);
      expect(workspace.calls()).toEqual([]);
    }
    expect(existsSync(join(workspace.repo, "dist"))).toBe(false);
  }, 90_000);

  it("serverless package before `npm run build`: serverless.yml says to run it", async () => {
    // The CLI itself, as a user typing `serverless package` in a fresh clone (the script would build first).
    expect(existsSync(join(workspace.repo, "dist"))).toBe(false);
    const result = await runCommand(EMULATOR_CLIS.serverless, ["package"], {
      cwd: workspace.repo,
      env: deployEnv(workspace),
      timeoutMs: 60_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.code, output).toBe(1);
    expect(output).toContain(
      `${RECEIVING}, ${WORKER} and dist/aws-lambda/commercelayer-external.serverless.json missing: run \`npm run build\` first`,
    );
    expect(output).not.toContain("No file matches include / exclude patterns");
  }, 90_000);

  it("serverless.yml without a Node 22+ provider.runtime: one line naming the setting, nothing built or run", async () => {
    const yml = join(workspace.repo, "serverless.yml");
    const pinned = readFileSync(yml, "utf8");
    expect(pinned).toContain(RUNTIME_LINE);
    try {
      for (const [text, found] of [
        [pinned.replace(RUNTIME_LINE, ""), "pins no function runtime"],
        [pinned.replace(RUNTIME_LINE, "  runtime: nodejs20.x\n"), "pins the functions to nodejs20.x"],
      ] as const) {
        writeFileSync(yml, text);
        workspace.resetCalls();
        const result = await runScript(workspace, "deploy:aws", ["--dry-run"], deployEnv(workspace), 30_000);
        expect(result.code, result.stderr).toBe(1);
        expect(ownLines(result, "deploy:aws")).toEqual([
          `deploy:aws: serverless.yml ${found}: set provider.runtime: nodejs22.x, so they run on Node 22 or later`,
        ]);
        expect(workspace.calls()).toEqual([]);
        expect(existsSync(join(workspace.repo, "dist"))).toBe(false);
      }
    } finally {
      writeFileSync(yml, pinned);
    }
  }, 90_000);

  it("--dry-run on a fresh copy: builds, packages the three bundles offline for nodejs22.x, then the URLs", async () => {
    workspace.resetCalls();
    const result = await runScript(
      workspace,
      "deploy:aws",
      ["--dry-run", "--stage", "ci"],
      deployEnv(workspace),
      240_000,
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    // Only the offline step; the stage is handed on to it and to the deploy command.
    expect(workspace.calls()).toEqual([["package", "--stage", "ci"]]);
    expect(result.stdout).toContain(`the deploy would run: ${workspace.cli} deploy --stage ci`);
    for (const [zip, bundle] of [
      ["commercelayer-webhook.zip", RECEIVING],
      ["commercelayer-webhook-worker.zip", WORKER],
      ["commercelayer-external.zip", EXTERNAL],
    ] as const) {
      const files = readZip(readFileSync(join(workspace.repo, ".serverless", zip)));
      expect([...files.keys()]).toEqual([bundle]);
      const built = readFileSync(join(workspace.repo, bundle));
      expect(files.get(bundle)?.equals(built)).toBe(true);
      if (bundle !== EXTERNAL) expect(built.toString("utf8")).toContain(FIXTURE_LINE);
    }
    // The script's build read the copy's functions/external.ts: a route for each of its kinds, none for the others.
    const template = JSON.parse(
      readFileSync(join(workspace.repo, ".serverless", "cloudformation-template-update-stack.json"), "utf8"),
    ) as { Resources: Record<string, { Type: string; Properties?: { RouteKey?: string; Runtime?: string } }> };
    const resources = Object.entries(template.Resources);
    const routes = resources
      .filter(([, resource]) => resource.Type === "AWS::ApiGatewayV2::Route")
      .map(([, resource]) => resource.Properties?.RouteKey ?? "");
    expect(routes.sort()).toEqual(
      ["POST /webhooks/commercelayer", ...SOME_KINDS.map((kind) => `POST /external/${kind}`)].sort(),
    );
    // What Lambda would run each function on: Node 22 or later, though Node 20 may run this deploy.
    const functions = resources.filter(([, resource]) => resource.Type === "AWS::Lambda::Function");
    expect(functions).toHaveLength(3);
    for (const [id, resource] of functions) expectNode22OrLater(resource.Properties?.Runtime, id);
    expectLocalNodeLine(result, "deploy:aws", "nodejs22.x", "serverless.yml");

    // It ends with a URL for each route of the HTTP API (the webhook's first), then where the host is.
    const { urls, rest } = splitUrlLines(endingLines(result, "deploy:aws"), "deploy:aws");
    expect(urls[0]).toEqual(["webhooks.callback_url", `${PLACEHOLDER}/webhooks/commercelayer`]);
    expect(urls).toContainEqual([
      "external_tax_calculators.tax_calculator_url",
      `${PLACEHOLDER}/external/tax-calculator`,
    ]);
    expect(urls.map(([, url]) => `POST ${url.replace(PLACEHOLDER, "")}`).sort()).toEqual(routes.sort());
    expect(rest).toEqual([
      `deploy:aws: ${PLACEHOLDER} is a placeholder: the deploy prints it under "endpoints"; later, \`${workspace.cli} info --verbose --stage ci\` (HttpApiUrl)`,
      "deploy:aws: next: deploy, then in Commerce Layer set each attribute above to its URL",
      SECRET_LINE,
    ]);
  }, 300_000);

  it("a deploy ends with the HTTP API's URLs, read from the endpoints `serverless deploy` printed", async () => {
    // Serverless prints the service outputs as text, which goes to stdout (the script pipes it); an httpApi endpoint
    // is `<method> - <HttpApiUrl><path>`, under `endpoints:` (two or more) or `endpoint:` (one).
    const serverless = join(ROOT, "test/emulators/aws-lambda/node_modules");
    expect(readFileSync(join(serverless, "serverless/lib/plugins/aws/info/display.js"), "utf8")).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the CLI's source, as written.
      "`${event.resolvedMethod} - ${endpoint}${event.resolvedPath || ''}`",
    );
    expect(readFileSync(join(serverless, "serverless/lib/cli/write-service-outputs.js"), "utf8")).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the CLI's source, as written.
      "writeText(`${style.aside(`${section}:\\n`)}  ${entries.join('\\n  ')}`);",
    );
    expect(readFileSync(join(serverless, "@serverless/utils/log-reporters/node.js"), "utf8")).toContain(
      "if (mode === 'text') process.stdout.write(joinTextTokens(textTokens));",
    );
    const api = "https://k3x9q2abcd.execute-api.eu-west-1.amazonaws.com";
    const stdout = [
      "",
      "endpoints:",
      `  POST - ${api}/webhooks/commercelayer`,
      ...SOME_KINDS.map((kind) => `  POST - ${api}/external/${kind}`),
      "functions:",
      "  commercelayer-webhook: commercelayer-webhooks-prod-commercelayer-webhook (12 kB)",
      "  commercelayer-webhook-worker: commercelayer-webhooks-prod-commercelayer-webhook-worker (11 kB)",
      "  commercelayer-external: commercelayer-webhooks-prod-commercelayer-external (20 kB)",
      "",
    ].join("\n");
    const stderr =
      "\nDeploying commercelayer-webhooks to stage prod (eu-west-1)\n\n✔ Service deployed to stack commercelayer-webhooks-prod (112s)\n";
    workspace.resetCalls();
    const env = deployEnv(workspace, {
      ...EXAMPLE_KEYS,
      COMMERCELAYER_WEBHOOK_SECRET: "whsec",
      COMMERCELAYER_TAX_CALCULATOR_SECRET: "tax",
      COMMERCELAYER_MARKET_SECRET: "market",
      ...replayEnv(workspace, { command: "deploy", stdout, stderr, code: 0 }),
    });
    const result = await runScript(workspace, "deploy:aws", ["--stage", "prod"], env, 120_000);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(workspace.calls()).toEqual([["deploy", "--stage", "prod"]]);
    expectLocalNodeLine(result, "deploy:aws", "nodejs22.x", "serverless.yml");
    const { urls, rest } = splitUrlLines(endingLines(result, "deploy:aws"), "deploy:aws");
    expect(urls).toEqual([
      ["webhooks.callback_url", `${api}/webhooks/commercelayer`],
      ["external_tax_calculators.tax_calculator_url", `${api}/external/tax-calculator`],
      ["markets.external_prices_url", `${api}/external/prices`],
    ]);
    expect(rest).toEqual(["deploy:aws: next: in Commerce Layer set each attribute above to its URL", SECRET_LINE]);
  }, 180_000);
});
