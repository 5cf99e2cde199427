// `npm run deploy:vercel` through the real script and the vercel CLI (test/emulators/vercel): it stops before building
// when the login, the project link or the project's secret is missing, and `--dry-run` builds a fresh copy offline with
// `vercel build` and a placeholder project link that it removes again.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERCEL_CLI } from "../../../infra/deploy/platform-cli.ts";
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

const FUNCTION_DIR = ".vercel/output/functions/api/webhooks/commercelayer.func";
const LINK = ".vercel/project.json";

let workspace: Workspace;

beforeAll(() => {
  workspace = createWorkspace(EMULATOR_CLIS.vercel);
});

afterAll(() => {
  if (workspace !== undefined) rmSync(workspace.temp, { recursive: true, force: true });
});

/**
 * The few REST endpoints `vercel env ls` reads, for a linked project whose Production variables are `keys` (by default
 * none of the secrets). The CLI is sent here by its own `api` setting (global config.json under the throwaway HOME).
 */
function startFakeVercelApi(
  keys: readonly string[] = ["OTHER_VARIABLE"],
): Promise<{ server: Server; url: string; unknown: string[] }> {
  const unknown: string[] = [];
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://localhost");
    const answers: [RegExp, unknown][] = [
      [/^\/v2\/user$/, { user: { id: "user_1", username: "tester", email: "tester@example.com" } }],
      [/^(\/v\d+)?\/teams\/team_1$/, { id: "team_1", slug: "team", name: "Team" }],
      [/^\/v\d+\/projects\/prj_1$/, { id: "prj_1", name: "webhooks", accountId: "team_1" }],
      [
        /^\/v\d+\/projects\/prj_1\/env$/,
        { envs: keys.map((key) => ({ key, type: "encrypted", target: ["production"] })) },
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
      resolve({ server, url: `http://127.0.0.1:${port}`, unknown });
    });
  });
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
        /^deploy:vercel: this checkout is not linked to a Vercel project, so the secret cannot be checked: run `.+ link`, then `.+ env add COMMERCELAYER_WEBHOOK_SECRET production` \(or pass --skip-secret-check\)$/,
      ),
    ]);
    expect(workspace.calls()).toEqual([]);
  });

  /** A linked project holding `keys` for Production: the script must stop naming `missing`, before building. */
  async function expectStopForMissingSecret(keys: readonly string[] | undefined, missing: string): Promise<void> {
    const api = await startFakeVercelApi(keys);
    const globalConfig = join(workspace.home, ".local/share/com.vercel.cli");
    try {
      mkdirSync(globalConfig, { recursive: true });
      writeFileSync(join(globalConfig, "config.json"), JSON.stringify({ api: api.url }));
      mkdirSync(join(workspace.repo, ".vercel"), { recursive: true });
      writeFileSync(join(workspace.repo, LINK), JSON.stringify({ projectId: "prj_1", orgId: "team_1" }));
      workspace.resetCalls();
      const result = await runScript(
        workspace,
        "deploy:vercel",
        [],
        deployEnv(workspace, { VERCEL_TOKEN: "t" }),
        60_000,
      );
      expect(result.code, result.stderr).toBe(1);
      expect(ownLines(result, "deploy:vercel")).toEqual([
        `deploy:vercel: ${missing} is not set for Production in the linked Vercel project: run \`${workspace.cli} env add ${missing} production\`, then deploy again`,
      ]);
      expect(workspace.calls()).toEqual([["env", "ls", "production", "--format", "json"]]);
      expect(api.unknown).toEqual([]);
      expect(existsSync(join(workspace.repo, "dist"))).toBe(false);
    } finally {
      api.server.close();
      rmSync(globalConfig, { recursive: true, force: true });
      rmSync(join(workspace.repo, ".vercel"), { recursive: true, force: true });
    }
  }

  it("linked, but the project has no COMMERCELAYER_WEBHOOK_SECRET for Production: says so, nothing built", () =>
    expectStopForMissingSecret(undefined, "COMMERCELAYER_WEBHOOK_SECRET"));

  it("linked, with the webhook secret but not the secret of an external kind functions/external.ts implements: names it", () =>
    // The copy's functions/external.ts implements every kind (copyRepository): the payment gateway's comes first.
    expectStopForMissingSecret(["COMMERCELAYER_WEBHOOK_SECRET"], "COMMERCELAYER_PAYMENT_GATEWAY_SECRET"));

  it("--dry-run on a fresh copy: `vercel build` offline with a placeholder link, then prints the deploy command", async () => {
    workspace.resetCalls();
    const result = await runScript(workspace, "deploy:vercel", ["--dry-run"], deployEnv(workspace), 240_000);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
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
  }, 300_000);
});
