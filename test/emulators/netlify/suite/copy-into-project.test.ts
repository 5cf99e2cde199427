// "Copy into an existing project", through netlify-cli's functions runtime: a throwaway site (outside the repository)
// with the factory and its declarations in lib/ (outside the functions folder, as the README says) and a TypeScript
// v2 function written as a user writes it, with its own orders.place handler. tsc (strict) checks it;
// `netlify functions:serve --offline` bundles it with the default bundler (esbuild: netlify.toml names no
// node_bundler) and serves it to signed deliveries. Needs `npm run build` and `npm run emulators:install`.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SignedDelivery, signedDelivery, TEST_SECRET } from "../../../support/deliveries.ts";
import { waitForJsonLine } from "../../../support/log-lines.ts";
import {
  copyFactory,
  createUserProject,
  typeCheck,
  writeProjectFile,
  writeStrictTsconfig,
} from "../../../support/user-project.ts";
import {
  CLI,
  cliEnv,
  type FunctionsServer,
  loadedFunctions,
  ROOT,
  request,
  startFunctionsServe,
} from "./netlify-cli.ts";

const FUNCTION = "commercelayer-webhook";
const PATH = "/webhooks/commercelayer";

const USER_FUNCTION = `import { createNetlifyWebhookHandler } from "../../lib/commercelayer-webhook-factory.mjs";

export default createNetlifyWebhookHandler({
  "orders.place": async (event) => {
    console.log(JSON.stringify({ userHandler: "orders.place", id: event.id, number: event.data.attributes.number }));
  },
});
export const config = { path: "/webhooks/commercelayer" };
`;

let site: string | undefined;
let home: string | undefined;
let server: FunctionsServer | undefined;
let typeChecked: { code: number; output: string } | undefined;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`netlify-cli is not installed (${CLI}): run \`npm run emulators:install\``);
  for (const file of ["commercelayer-webhook-factory.mjs", "commercelayer-webhook-factory.d.mts"]) {
    const built = join(ROOT, "dist/factories/netlify", file);
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  site = createUserProject("netlify-serve-copy");
  writeStrictTsconfig(site, { nodeTypes: false });
  copyFactory(site, "netlify", "lib");
  // A user's site: the functions folder, and the default bundler (no node_bundler line).
  writeProjectFile(site, "netlify.toml", '[functions]\n  directory = "netlify/functions"\n');
  writeProjectFile(site, `netlify/functions/${FUNCTION}.mts`, USER_FUNCTION);
  typeChecked = await typeCheck(site);
  home = mkdtempSync(join(tmpdir(), "netlify-serve-copy-home-"));
  server = await startFunctionsServe({
    cwd: site,
    env: cliEnv(home, { COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET }),
    functions: [FUNCTION],
    timeoutMs: 90_000,
  });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  for (const dir of [site, home]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function running(): FunctionsServer {
  if (server === undefined) throw new Error("netlify functions:serve is not running");
  return server;
}

function post(delivery: SignedDelivery) {
  return request(`${running().url}${PATH}`, { headers: delivery.headers, body: delivery.body });
}

/** The JSON lines in the output written after `since`, those that `match`: waits (bounded) for one. */
const waitForLine = (since: number, match: (line: Record<string, unknown>) => boolean) =>
  waitForJsonLine(() => running().output().slice(since), match);

describe("copy into an existing Netlify site: netlify/functions/commercelayer-webhook.mts under functions:serve", () => {
  it("the user's function type-checks with tsc --strict against the copied .d.mts (no @netlify/functions)", () => {
    expect(typeChecked?.output).toBe("");
    expect(typeChecked?.code).toBe(0);
  });

  it("serves exactly the user's function: lib/ outside the functions folder is not a function", () => {
    expect(loadedFunctions(running().output())).toEqual([FUNCTION]);
  });

  it("a signed orders.place is handled (200) and the user's handler ran with the delivery's id", async () => {
    const delivery = signedDelivery("orders.place");
    const payload = JSON.parse(delivery.body.toString("utf8")) as {
      data: { id: string; attributes: { number: unknown } };
    };
    const since = running().output().length;
    const response = await post(delivery);
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ received: true, outcome: "handled" });
    const line = await waitForLine(since, (entry) => entry.userHandler === "orders.place");
    expect(line).toEqual({ userHandler: "orders.place", id: payload.data.id, number: payload.data.attributes.number });
    await waitForLine(
      since,
      (entry) => entry.msg === "commercelayer webhook" && entry.platform === "netlify" && entry.outcome === "handled",
    );
  });

  it("a topic the user has no handler for is acknowledged (200 ignored) and runs no handler of theirs", async () => {
    const since = running().output().length;
    const response = await post(signedDelivery("customers.create"));
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ received: true, outcome: "ignored" });
    await waitForLine(since, (entry) => entry.msg === "commercelayer webhook" && entry.outcome === "ignored");
    expect(running().output().slice(since)).not.toContain('"userHandler"');
  });

  it("a wrong signature is refused (401)", async () => {
    const response = await post(signedDelivery("orders.place", { secret: "not-the-secret" }));
    expect(response.status, response.text).toBe(401);
    expect(JSON.parse(response.text)).toEqual({ error: "invalid_signature" });
  });
});
