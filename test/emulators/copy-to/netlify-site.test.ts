// copy-to into a Netlify site as a user has one (netlify.toml naming its publish and functions folders, package.json,
// tsconfig.json): netlify/functions/commercelayer-webhook.mts on the Netlify factory, with lib/ outside the functions
// folder. The site's tsc checks it; netlify-cli (test/emulators/netlify's) bundles and serves it with
// `netlify functions:serve --offline`. Needs `npm run emulators:install`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SECRET } from "../../support/deliveries.ts";
import {
  CLI,
  cliEnv,
  type FunctionsServer,
  loadedFunctions,
  startFunctionsServe,
} from "../netlify/suite/netlify-cli.ts";
import { postTo } from "../server-process.ts";
import {
  type CommandRun,
  type CopyToRecord,
  copyToThreeTimes,
  EMULATOR_MODULES,
  expectCopyToKeptItsWord,
  expectForgedRefused,
  expectHandledByStub,
  requireInstalled,
  run,
} from "./copy-to-run.ts";

const FUNCTION = "commercelayer-webhook";
const HANDLER = `netlify/functions/${FUNCTION}.mts`;
const PATH = "/webhooks/commercelayer";
const TSC = join(EMULATOR_MODULES, "typescript/bin/tsc");

const NETLIFY_TOML = `[build]
  publish = "public"

[functions]
  directory = "netlify/functions"
`;

// The site's own: strict, no ambient packages (neither @types/node nor @netlify/functions is installed).
const TSCONFIG = {
  compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", noEmit: true, skipLibCheck: true, types: [] },
};

let scratch: string | undefined;
let record: CopyToRecord | undefined;
let typeChecked: CommandRun | undefined;
let server: FunctionsServer | undefined;

beforeAll(async () => {
  requireInstalled(CLI, TSC);
  scratch = mkdtempSync(join(tmpdir(), "cl-copy-to-netlify-"));
  const site = join(scratch, "site");
  mkdirSync(join(site, "public"), { recursive: true });
  writeFileSync(join(site, "netlify.toml"), NETLIFY_TOML);
  writeFileSync(join(site, "package.json"), `${JSON.stringify({ name: "shop", private: true, type: "module" })}\n`);
  writeFileSync(join(site, "tsconfig.json"), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  writeFileSync(join(site, "public/index.html"), "<!doctype html><title>Shop</title>\n");
  record = await copyToThreeTimes(site, HANDLER);
  typeChecked = await run(process.execPath, [TSC, "-p", site], { cwd: site, timeoutMs: 60_000 });
  const home = join(scratch, "home");
  mkdirSync(home);
  server = await startFunctionsServe({
    cwd: site,
    env: cliEnv(home, { COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET }),
    functions: [FUNCTION],
    timeoutMs: 90_000,
  });
}, 240_000);

afterAll(async () => {
  await server?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

const served = {
  post: (delivery: Parameters<typeof postTo>[1]) => postTo(`${server?.url}${PATH}`, delivery),
  output: () => server?.output() ?? "",
};

describe("copy-to into a Netlify site: tsc, netlify functions:serve --offline", () => {
  it("copy-to: the dry run writes nothing, the run writes the factory and the function, a re-run keeps it", () => {
    if (record === undefined) throw new Error("copy-to did not run");
    expectCopyToKeptItsWord(record, {
      detected: "Netlify site (netlify.toml or netlify/functions/)",
      libDir: "lib/commercelayer",
      handlerFile: HANDLER,
      envExample: ".env.example",
    });
  });

  it("the function type-checks with the site's tsc (strict, against the copied .d.mts)", () => {
    expect(typeChecked?.stdout).toBe("");
    expect(typeChecked?.code).toBe(0);
  });

  it("netlify-cli loads exactly that function: lib/, outside the functions folder, is not one", () => {
    expect(loadedFunctions(served.output())).toEqual([FUNCTION]);
  });

  it("a signed orders.place is handled (200) at the function's config.path and the stub handler logged it", async () => {
    await expectHandledByStub(served);
  });

  it("a forged delivery is refused (401)", async () => {
    await expectForgedRefused(served);
  });
});
