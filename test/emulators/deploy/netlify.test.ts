// `npm run deploy:netlify` through the real script and netlify-cli (test/emulators/netlify): it stops before building
// when the login or the site link is missing, and `--dry-run` runs `netlify build --offline` on a fresh copy.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NETLIFY_CLI } from "../../../infra/deploy/platform-cli.ts";
import { FIXTURE_LINE } from "../../fixtures/handlers.ts";
import {
  createWorkspace,
  deployEnv,
  EMULATOR_CLIS,
  emulatorManifestVersion,
  ownLines,
  runScript,
  type Workspace,
} from "./deploy-script.ts";

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

  it("--dry-run on a fresh copy: `netlify build --offline` builds and packages, then prints the deploy command", async () => {
    workspace.resetCalls();
    const result = await runScript(workspace, "deploy:netlify", ["--dry-run"], deployEnv(workspace), 240_000);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(workspace.calls()).toEqual([["build", "--offline", "--context", "production"]]);
    expect(result.stdout).toContain(`the deploy would run: ${workspace.cli} deploy --prod`);
    expect(readFileSync(join(workspace.repo, "dist/netlify/commercelayer-webhook.mjs"), "utf8")).toContain(
      FIXTURE_LINE,
    );
    const manifest = JSON.parse(readFileSync(join(workspace.repo, ".netlify/functions/manifest.json"), "utf8")) as {
      functions: { name: string }[];
    };
    // The copy's functions/external.ts implements every external kind (copyRepository): their function is packaged too.
    expect(manifest.functions.map((entry) => entry.name).sort()).toEqual([
      "commercelayer-external",
      "commercelayer-webhook",
      "commercelayer-webhook-legacy",
      "commercelayer-webhook-worker-background",
    ]);
  }, 300_000);
});
