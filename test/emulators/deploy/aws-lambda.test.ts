// `npm run deploy:aws` through the real script and Serverless Framework v3 (test/emulators/aws-lambda): it stops before
// building when AWS credentials or an external kind's secret are missing (that of each kind functions/external.ts
// implements), or when the webhook's secrets would not fit in a Lambda function's 4 KB environment; `--dry-run` packages
// a fresh copy offline, and serverless.yml itself refuses to package without the bundles, saying to run `npm run build`.
// From the external secrets test on, the copy's functions/external.ts re-exports test/fixtures/external-some-handlers.ts
// (two kinds), so the dry run packages an external function too. The script reads the copy's .env: the secrets bound to
// topics there reach both webhook functions' environment, the two kinds' secrets the external function's (each counted
// against its own function's 4 KB), and after a deploy it runs `enable --external-url <HttpApiUrl>/external` (a
// stand-in here) when the integration's credentials are there too. The script refuses a serverless.yml without a Node 22+ runtime; the dry
// run's CloudFormation template names that runtime for every function, whatever Node.js ran it. A dry run and a deploy
// end with the URLs for Commerce Layer and the next command; no secret is ever printed.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVERLESS_CLI } from "../../../infra/deploy/platform-cli.ts";
import { SOME_KINDS } from "../../fixtures/external-some-handlers.ts";
import { FIXTURE_LINE } from "../../fixtures/handlers.ts";
import { readZip } from "../netlify/suite/netlify-cli.ts";
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
  runCommand,
  runScript,
  SOME_EXTERNAL_HANDLERS,
  splitUrlLines,
  stubCommerceLayerCommand,
  TOPIC_SECRETS_VALUE,
  type Workspace,
  writeEnvFile,
  writeInto,
} from "./deploy-script.ts";

const RECEIVING = "dist/aws-lambda/commercelayer-webhook.mjs";
const WORKER = "dist/aws-lambda/commercelayer-webhook-worker.mjs";
const EXTERNAL = "dist/aws-lambda/commercelayer-external.mjs";
/** Keys in AWS's documented example format, never valid anywhere. */
const EXAMPLE_KEYS = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

const RUNTIME_LINE = "  runtime: nodejs22.x\n";
const PLACEHOLDER = "https://<api-id>.execute-api.<region>.amazonaws.com";
/** The last line, with the two external kinds of the copy deployed below `prefix`; `envFile`: the --env-file given. */
function externalLine(prefix: string, envFile?: string): string {
  const option = envFile === undefined ? "" : ` --env-file ${envFile}`;
  return `deploy:aws: external resources: \`npm run commercelayer -- apply${option}\` writes their shared_secrets to ${envFile ?? ".env"} (the resources functions/external-attachments.ts names), a deploy carries them to the environment of commercelayer-external (serverless.yml), then \`npm run commercelayer -- enable --external-url ${prefix}${option}\` sets each attribute above (docs/external-resources.md)`;
}
/** What the planned hand-over says of the copy's .env (made up secrets, two webhooks). */
const CARRIED = `COMMERCELAYER_WEBHOOK_TOPIC_SECRETS (2 secrets, ${Buffer.byteLength(TOPIC_SECRETS_VALUE)} bytes)`;
const WEBHOOK_FUNCTIONS =
  "into the environment of commercelayer-webhook and commercelayer-webhook-worker (serverless.yml)";
/** The two kinds' secrets, into the external function's environment. */
const EXTERNAL_CARRIED_TO = `${EXTERNAL_CARRIED.COMMERCELAYER_TAX_CALCULATOR_SECRET} and ${EXTERNAL_CARRIED.COMMERCELAYER_MARKET_SECRET} into the environment of commercelayer-external (serverless.yml)`;

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

  it("with credentials (keys, a profile, or ~/.aws/credentials) but no external kind's secret: names it", async () => {
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
      // The copy implements every external kind; the payment gateway's comes first. No webhook secret is no stop: the
      // first deploy comes before `apply`.
      expect(ownLines(result, "deploy:aws")).toEqual([
        "deploy:aws: COMMERCELAYER_PAYMENT_GATEWAY_SECRET is not set in .env or this shell: `npm run commercelayer -- apply` writes it there (from the resource functions/external-attachments.ts names), and serverless.yml deploys the functions with the value it has here (see docs/deploy-aws-lambda.md)",
      ]);
      expect(workspace.calls()).toEqual([]);
    }
    rmSync(join(workspace.home, ".aws"), { recursive: true });
    expect(existsSync(join(workspace.repo, "dist"))).toBe(false);
  }, 90_000);

  it("secrets bound to topics in .env that a Lambda function's 4 KB environment cannot hold: one line, nothing run", async () => {
    // 60 webhooks of about 70 bytes each, as apply would write them for 60 topics.
    const many = Array.from({ length: 60 }, (_, index) => `orders.topic_${index}=${"A".repeat(44)}==`).join(",");
    writeEnvFile(workspace, { COMMERCELAYER_WEBHOOK_TOPIC_SECRETS: many });
    try {
      workspace.resetCalls();
      const result = await runScript(workspace, "deploy:aws", [], deployEnv(workspace, EXAMPLE_KEYS), 30_000);
      expect(result.code, result.stderr).toBe(1);
      const bytes = "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS".length + many.length;
      expect(ownLines(result, "deploy:aws")).toEqual([
        "deploy:aws: read .env (the shell's own variables win)",
        `deploy:aws: COMMERCELAYER_WEBHOOK_TOPIC_SECRETS take ${bytes} bytes, over the 3584 left for them in a function's environment (AWS Lambda allows 4096 bytes for all its variables; 512 are kept for the others): handle fewer topics (name them instead of "*" or "resource.*"), or, for a "*" handler, configure its webhooks by hand with their secrets in COMMERCELAYER_WEBHOOK_SECRET (no topic names: about 45 bytes a webhook)`,
      ]);
      expect(result.stdout + result.stderr).not.toContain("A".repeat(44));
      expect(workspace.calls()).toEqual([]);
      expect(existsSync(join(workspace.repo, "dist"))).toBe(false);
    } finally {
      writeEnvFile(workspace, undefined);
    }
  });

  it("the kinds' secrets count in the external function's environment, not the webhook functions': each its own 4 KB", async () => {
    // 45 webhooks fit in the webhook functions' environment; with fourteen markets' secrets beside them they would
    // not, but those go to commercelayer-external only. The copy implements every kind (prices reads the market's).
    const webhooks = Array.from({ length: 45 }, (_, index) => `orders.topic_${index}=${"A".repeat(44)}==`).join(",");
    const markets = (count: number) =>
      Array.from({ length: count }, (_, index) => `market-${index}-${"B".repeat(44)}`).join(",");
    const webhookBytes = "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS".length + webhooks.length;
    const marketBytes = "COMMERCELAYER_MARKET_SECRET".length + markets(14).length;
    expect(webhookBytes).toBeLessThan(3584);
    expect(marketBytes).toBeLessThan(3584);
    expect(webhookBytes + marketBytes).toBeGreaterThan(3584);
    try {
      writeEnvFile(workspace, {
        COMMERCELAYER_WEBHOOK_TOPIC_SECRETS: webhooks,
        COMMERCELAYER_MARKET_SECRET: markets(14),
      });
      workspace.resetCalls();
      const fits = await runScript(workspace, "deploy:aws", [], deployEnv(workspace), 30_000);
      expect(fits.code, fits.stderr).toBe(1);
      // Past the size check: it stops at the next one.
      expect(ownLines(fits, "deploy:aws")).toEqual([
        "deploy:aws: read .env (the shell's own variables win)",
        expect.stringMatching(/^deploy:aws: no AWS credentials found \(/),
      ]);
      // 70 markets do not fit in the external function's own environment.
      const many = markets(70);
      writeEnvFile(workspace, { COMMERCELAYER_WEBHOOK_TOPIC_SECRETS: webhooks, COMMERCELAYER_MARKET_SECRET: many });
      const over = await runScript(workspace, "deploy:aws", [], deployEnv(workspace, EXAMPLE_KEYS), 30_000);
      expect(over.code, over.stderr).toBe(1);
      expect(ownLines(over, "deploy:aws")).toEqual([
        "deploy:aws: read .env (the shell's own variables win)",
        `deploy:aws: COMMERCELAYER_MARKET_SECRET take ${"COMMERCELAYER_MARKET_SECRET".length + many.length} bytes, over the 3584 left for them in the environment of commercelayer-external (AWS Lambda allows 4096 bytes for all its variables; 512 are kept for the others): attach fewer resources to a kind in functions/external-attachments.ts (each adds its shared_secret to its kind's variable)`,
      ]);
      expect(over.stdout + over.stderr).not.toContain("B".repeat(44));
      expect(workspace.calls()).toEqual([]);
      expect(existsSync(join(workspace.repo, "dist"))).toBe(false);
    } finally {
      writeEnvFile(workspace, undefined);
    }
  });

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
        expect.stringMatching(new RegExp(`^deploy:aws: ${missing} is not set in .env or this shell: `)),
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
    // apply has run: the secrets bound to topics and the two kinds' are in .env, the integration's credentials in
    // neither .env nor shell.
    writeEnvFile(workspace, { COMMERCELAYER_WEBHOOK_TOPIC_SECRETS: TOPIC_SECRETS_VALUE, ...EXTERNAL_SECRETS });
    workspace.resetCalls();
    const result = await runScript(
      workspace,
      "deploy:aws",
      ["--dry-run", "--stage", "ci"],
      deployEnv(workspace),
      240_000,
    );
    writeEnvFile(workspace, undefined);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expectNoSecretIn(`${result.stdout}\n${result.stderr}`, "the dry run's output");
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
    ) as {
      Resources: Record<
        string,
        {
          Type: string;
          Properties?: { RouteKey?: string; Runtime?: string; Environment?: { Variables: Record<string, unknown> } };
        }
      >;
    };
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
    // .env's secrets bound to topics reach both webhook functions (the worker verifies again), not the external one:
    // in the template, which is why docs/deploy-aws-lambda.md says who can read it.
    const variables = (id: string) => template.Resources[id]?.Properties?.Environment?.Variables ?? {};
    for (const id of ["CommercelayerDashwebhookLambdaFunction", "CommercelayerDashwebhookDashworkerLambdaFunction"]) {
      expect(variables(id).COMMERCELAYER_WEBHOOK_TOPIC_SECRETS, id).toBe(TOPIC_SECRETS_VALUE);
      expect(variables(id).COMMERCELAYER_WEBHOOK_SECRET, id).toBe("");
    }
    // The two kinds' secrets from .env reach the external function (beside every function's body limit), and not the
    // webhook functions.
    expect(variables("CommercelayerDashexternalLambdaFunction")).toEqual({
      ...EXTERNAL_SECRETS,
      COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: "",
    });
    for (const id of ["CommercelayerDashwebhookLambdaFunction", "CommercelayerDashwebhookDashworkerLambdaFunction"]) {
      for (const name of Object.keys(EXTERNAL_SECRETS)) expect(variables(id), id).not.toHaveProperty(name);
    }
    expect(ownLines(result, "deploy:aws")).toContain("deploy:aws: read .env (the shell's own variables win)");
    expect(ownLines(result, "deploy:aws")).toContain(
      `deploy:aws: a deploy would carry ${CARRIED} ${WEBHOOK_FUNCTIONS}, and ${EXTERNAL_CARRIED_TO}, deploy, and not run enable (no COMMERCELAYER_CLIENT_ID and COMMERCELAYER_CLIENT_SECRET in .env or this shell)`,
    );
    expect(result.stdout).not.toContain("it would stop first");

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
      `deploy:aws: next: deploy, then \`npm run commercelayer -- enable --external-url ${PLACEHOLDER}/external\`, then \`npm run commercelayer -- status --url ${PLACEHOLDER}/webhooks/commercelayer --external-url ${PLACEHOLDER}/external\``,
      externalLine(`${PLACEHOLDER}/external`),
    ]);
  }, 300_000);

  it("a deploy ends with the HTTP API's URLs and the next command: apply first, then (secrets in .env) enable is run and status is next", async () => {
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
    // The two kinds' secrets are in the shell (apply wrote them; the shell works as .env does).
    const env = deployEnv(workspace, {
      ...EXAMPLE_KEYS,
      ...EXTERNAL_SECRETS,
      ...replayEnv(workspace, { command: "deploy", stdout, stderr, code: 0 }),
    });
    const callbackUrl = `${api}/webhooks/commercelayer`;
    const externalUrl = `${api}/external`;
    // The first deploy: no webhook secret anywhere yet (apply needs the URL this deploy prints). It deploys the kinds'
    // secrets, says the webhook has none, does not run enable (no credentials), and ends with the apply command.
    const runs = stubCommerceLayerCommand(workspace, 0);
    const first = await runScript(workspace, "deploy:aws", ["--stage", "prod"], env, 120_000);
    expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0);
    expect(workspace.calls()).toEqual([["deploy", "--stage", "prod"]]);
    expectLocalNodeLine(first, "deploy:aws", "nodejs22.x", "serverless.yml");
    expectNoSecretIn(`${first.stdout}\n${first.stderr}`, "the deploy's output");
    expect(ownLines(first, "deploy:aws")).toEqual(
      expect.arrayContaining([
        "deploy:aws: no webhook secret yet (neither COMMERCELAYER_WEBHOOK_TOPIC_SECRETS nor COMMERCELAYER_WEBHOOK_SECRET is in .env or this shell): this deployment answers every delivery 500 no_secret_configured until apply's secrets are deployed",
        `deploy:aws: deploying ${EXTERNAL_CARRIED_TO}`,
        `deploy:aws: enable not run: no COMMERCELAYER_CLIENT_ID and COMMERCELAYER_CLIENT_SECRET in .env or this shell; run \`npm run commercelayer -- enable --external-url ${externalUrl}\` where they are`,
      ]),
    );
    const { urls, rest } = splitUrlLines(endingLines(first, "deploy:aws"), "deploy:aws");
    expect(urls).toEqual([
      ["webhooks.callback_url", callbackUrl],
      ["external_tax_calculators.tax_calculator_url", `${api}/external/tax-calculator`],
      ["markets.external_prices_url", `${api}/external/prices`],
    ]);
    expect(rest).toEqual([
      `deploy:aws: next: \`npm run commercelayer -- apply --url ${callbackUrl}\` (it creates the webhooks, disabled, and writes their secrets to .env), then deploy again: the deploy carries the secrets and runs enable`,
      externalLine(externalUrl),
    ]);
    expect(runs()).toEqual([]);

    // apply has run: .env holds the secrets bound to topics and the integration's credentials. The deploy hands them
    // to serverless (its environment: serverless.yml's ${env:...}), then runs enable, then points at status.
    writeEnvFile(workspace, { COMMERCELAYER_WEBHOOK_TOPIC_SECRETS: TOPIC_SECRETS_VALUE, ...COMMERCELAYER_CREDENTIALS });
    workspace.resetCalls();
    const second = await runScript(workspace, "deploy:aws", ["--stage", "prod"], env, 120_000);
    expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(0);
    expect(workspace.calls()).toEqual([["deploy", "--stage", "prod"]]);
    expectNoSecretIn(`${second.stdout}\n${second.stderr}`, "the deploy's output");
    expect(ownLines(second, "deploy:aws")).toEqual(
      expect.arrayContaining([
        "deploy:aws: read .env (the shell's own variables win)",
        `deploy:aws: deploying ${CARRIED} ${WEBHOOK_FUNCTIONS}, and ${EXTERNAL_CARRIED_TO}`,
      ]),
    );
    // enable switches the webhooks on and points the attached resources at this deployment's external prefix, with
    // every secret it checks in its environment.
    expect(runs()).toEqual([
      {
        args: ["enable", "--external-url", externalUrl],
        credentials: true,
        topicSecrets: true,
        externalSecrets: Object.keys(EXTERNAL_SECRETS),
      },
    ]);
    expect(second.stdout).toContain("2 enabled, 0 were already.");
    expect(splitUrlLines(endingLines(second, "deploy:aws"), "deploy:aws").rest).toEqual([
      `deploy:aws: next: \`npm run commercelayer -- status --url ${callbackUrl} --external-url ${externalUrl}\``,
      externalLine(externalUrl),
    ]);
  }, 240_000);

  it("after a deploy, enable failing or missing is one line with the command to run: the deploy still succeeds", async () => {
    const stdout = "\nendpoint: POST - https://k3x9q2abcd.execute-api.eu-west-1.amazonaws.com/webhooks/commercelayer\n";
    const env = deployEnv(workspace, {
      ...EXAMPLE_KEYS,
      ...EXTERNAL_SECRETS,
      ...replayEnv(workspace, { command: "deploy", stdout, stderr: "", code: 0 }),
    });
    const externalUrl = "https://k3x9q2abcd.execute-api.eu-west-1.amazonaws.com/external";
    // A file of its own, named by --env-file: handed on to enable and to the commands printed.
    const envFile = join(workspace.temp, "deploy.env");
    writeFileSync(
      envFile,
      `COMMERCELAYER_WEBHOOK_TOPIC_SECRETS=${TOPIC_SECRETS_VALUE}\nCOMMERCELAYER_CLIENT_ID=${COMMERCELAYER_CREDENTIALS.COMMERCELAYER_CLIENT_ID}\nCOMMERCELAYER_CLIENT_SECRET=${COMMERCELAYER_CREDENTIALS.COMMERCELAYER_CLIENT_SECRET}\n`,
    );
    const enable = `npm run commercelayer -- enable --external-url ${externalUrl} --env-file ${envFile}`;
    const next = `deploy:aws: next: \`${enable}\`, then \`npm run commercelayer -- status --url https://k3x9q2abcd.execute-api.eu-west-1.amazonaws.com/webhooks/commercelayer --external-url ${externalUrl} --env-file ${envFile}\``;
    for (const [exitCode, said] of [
      [1, `deploy:aws: deployed, but enable failed (exit code 1): run \`${enable}\` once the cause above is fixed`],
      [
        undefined,
        `deploy:aws: deployed, but enable could not run (infra/commercelayer/main.ts is missing): run \`${enable}\``,
      ],
    ] as const) {
      const runs = stubCommerceLayerCommand(workspace, exitCode);
      const result = await runScript(workspace, "deploy:aws", ["--env-file", envFile], env, 120_000);
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      expect(ownLines(result, "deploy:aws")).toContain(said);
      expect(ownLines(result, "deploy:aws")).toContain(`deploy:aws: read ${envFile} (the shell's own variables win)`);
      expect(runs()).toEqual(
        exitCode === undefined
          ? []
          : [
              {
                args: ["enable", "--external-url", externalUrl, "--env-file", envFile],
                credentials: true,
                topicSecrets: true,
                externalSecrets: Object.keys(EXTERNAL_SECRETS),
              },
            ],
      );
      expect(splitUrlLines(endingLines(result, "deploy:aws"), "deploy:aws").rest).toEqual([
        next,
        externalLine(externalUrl, envFile),
      ]);
      expectNoSecretIn(`${result.stdout}\n${result.stderr}`, "the deploy's output");
    }
  }, 240_000);
});
