// `npm run deploy:netlify` through the real script and netlify-cli (test/emulators/netlify): it stops before building
// when the login or the site link is missing, or when netlify.toml does not pin the functions to Node 22 or later;
// `--dry-run` runs `netlify build --offline` on a fresh copy, which packages every function for the pinned runtime
// whatever Node.js runs it; both a dry run and a deploy end with the URLs to set in Commerce Layer and the next step.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NETLIFY_CLI } from "../../../infra/deploy/platform-cli.ts";
import { FIXTURE_LINE } from "../../fixtures/handlers.ts";
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
  runScript,
  splitUrlLines,
  type Workspace,
} from "./deploy-script.ts";

const NETLIFY_CLI_DIST = join(ROOT, "test/emulators/netlify/node_modules/netlify-cli/dist");
const PIN_LINE = '  AWS_LAMBDA_JS_RUNTIME = "nodejs22.x"\n';
/** What follows the URLs when the site's URL is not known: where to find it, then the next step. */
const SECRET_LINE =
  "deploy:netlify: the shared_secrets go in the Netlify site's variables (Functions scope): the webhook's in COMMERCELAYER_WEBHOOK_SECRET, the others per docs/environment.md";

/** functions/external.ts as the template ships it: no kind. */
const NO_EXTERNAL_HANDLERS = `import { defineExternalHandlers } from "../shared/external/handlers-file.ts";
export const externalHandlers = defineExternalHandlers({});
`;

interface ManifestFunction {
  name: string;
  runtimeVersion?: string;
  routes?: { pattern: string }[];
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
        /^deploy:netlify: this checkout is not linked to a Netlify site, so the secret cannot be checked: run `.+ link` \(or set NETLIFY_SITE_ID\), then `.+ env:set COMMERCELAYER_WEBHOOK_SECRET <secret> --scope functions --secret` \(or pass --skip-secret-check\)$/,
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

  it("--dry-run on a fresh copy: `netlify build --offline` packages every function for nodejs22.x, then the URLs", async () => {
    workspace.resetCalls();
    const result = await runScript(workspace, "deploy:netlify", ["--dry-run"], deployEnv(workspace), 240_000);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
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
      "deploy:netlify: next: deploy, then in Commerce Layer set each attribute above to its URL",
      SECRET_LINE,
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
    expect(rest).toEqual(["deploy:netlify: next: in Commerce Layer set each attribute above to its URL", SECRET_LINE]);

    // As the template ships, functions/external.ts implements no kind: the webhook's URL alone.
    const external = join(workspace.repo, "functions/external.ts");
    const every = readFileSync(external, "utf8");
    try {
      writeFileSync(external, NO_EXTERNAL_HANDLERS);
      const webhookOnly = await runScript(workspace, "deploy:netlify", ["--skip-secret-check"], env, 60_000);
      expect(webhookOnly.code, `${webhookOnly.stdout}\n${webhookOnly.stderr}`).toBe(0);
      expect(endingLines(webhookOnly, "deploy:netlify")).toEqual([
        "deploy:netlify: webhooks.callback_url: https://cl-webhooks.netlify.app/webhooks/commercelayer",
        "deploy:netlify: next: in Commerce Layer set your webhook's callback_url to the URL above",
        "deploy:netlify: the webhook's shared_secret goes in COMMERCELAYER_WEBHOOK_SECRET, in the Netlify site's variables (Functions scope)",
      ]);
    } finally {
      writeFileSync(external, every);
    }
  });
});
