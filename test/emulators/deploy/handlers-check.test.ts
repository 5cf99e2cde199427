// A deploy stops on a handlers file that does not check (infra/build/check-handlers.ts, run by `npm run build:deploy`
// before anything is built): in a copy of the repository whose functions/handlers.ts misspells two topics, each deploy
// script's --dry-run fails naming both, with the closest topic, and nothing is deployed. AWS builds before its CLI
// runs, so `serverless` never runs; Netlify's and Vercel's offline builds run the same build command, and fail on it.
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createWorkspace, deployEnv, EMULATOR_CLIS, runScript, type Workspace } from "./deploy-script.ts";

const SCRIPTS = {
  "deploy:aws": EMULATOR_CLIS.serverless,
  "deploy:netlify": EMULATOR_CLIS.netlify,
  "deploy:vercel": EMULATOR_CLIS.vercel,
} as const;

const MISSPELT = `import { defineWebhookHandlers } from "../shared/webhooks/handlers-file.ts";

export const handlers = defineWebhookHandlers({
  "orders.aprove": async (event) => console.log(event.id),
  "customers.create": async (event) => console.log(event.id),
  "shipments.shipp": async (event) => console.log(event.id),
});
`;

const workspaces: Workspace[] = [];

afterAll(() => {
  for (const workspace of workspaces) rmSync(workspace.temp, { recursive: true, force: true });
});

describe("a deploy with misspelt topics in functions/handlers.ts", () => {
  it.each(Object.keys(SCRIPTS).map((script) => [script as keyof typeof SCRIPTS]))(
    "%s --dry-run: fails, both topics named with the closest one, nothing built or deployed",
    async (script) => {
      const workspace = createWorkspace(SCRIPTS[script]);
      workspaces.push(workspace);
      writeFileSync(join(workspace.repo, "functions/handlers.ts"), MISSPELT);
      const result = await runScript(workspace, script, ["--dry-run"], deployEnv(workspace), 120_000);
      const printed = `${result.stdout}\n${result.stderr}`;
      expect(result.code, printed).not.toBe(0);
      expect(printed).toContain(
        'functions/handlers.ts:4:3: "orders.aprove" is not a Commerce Layer topic; did you mean "orders.approve"?',
      );
      expect(printed).toContain(
        'functions/handlers.ts:6:3: "shipments.shipp" is not a Commerce Layer topic; did you mean "shipments.ship"?',
      );
      expect(printed).toContain("the handlers files do not check (2 above): nothing was built");
      // Only an offline build, if anything: no deploy command ran, and no bundle was written.
      expect(workspace.calls().filter((call) => call.includes("deploy"))).toEqual([]);
      if (script === "deploy:aws") expect(workspace.calls()).toEqual([]);
      expect(existsSync(join(workspace.repo, "dist/aws-lambda/commercelayer-webhook.mjs"))).toBe(false);
    },
    150_000,
  );
});
