// copy-to --deferred --deduplicate blobs into a Netlify site as a user has one (netlify.toml naming its publish and
// functions folders, package.json, tsconfig.json, and @netlify/blobs installed as the command says: here the root's
// node_modules, linked in): the receiving function netlify/functions/commercelayer-webhook.mts and the background
// function commercelayer-webhook-worker-background.mts, both on the map in lib/commercelayer-webhook-handlers.mts,
// with the copied files in lib/commercelayer/, outside the functions folder. The site's tsc checks them; netlify-cli
// (test/emulators/netlify's) bundles and serves them with `netlify functions:serve --offline`, Netlify Blobs included.
// Needs `npm run emulators:install`.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";
import { waitForJsonLine } from "../../support/log-lines.ts";
import {
  CLI,
  cliEnv,
  type FunctionsServer,
  loadedFunctions,
  ROOT,
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
const WORKER = "commercelayer-webhook-worker-background";
const RECEIVING = `netlify/functions/${FUNCTION}.mts`;
/** The map both functions import: the file with the stubs. */
const HANDLER = "lib/commercelayer-webhook-handlers.mts";
const LIB = "lib/commercelayer";
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
  // `npm install @netlify/blobs`, as the command says: the root package has it.
  symlinkSync(join(ROOT, "node_modules"), join(site, "node_modules"), "dir");
  record = await copyToThreeTimes(site, HANDLER, ["--deferred", "--deduplicate", "blobs"]);
  typeChecked = await run(process.execPath, [TSC, "-p", site], { cwd: site, timeoutMs: 60_000 });
  const home = join(scratch, "home");
  mkdirSync(home);
  server = await startFunctionsServe({
    cwd: site,
    env: cliEnv(home, { COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET }),
    functions: [FUNCTION, WORKER],
    timeoutMs: 90_000,
  });
}, 240_000);

afterAll(async () => {
  await server?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

const idOf = (delivery: { body: Buffer }) =>
  (JSON.parse(delivery.body.toString("utf8")) as { data: { id: string } }).data.id;

const served = {
  post: (delivery: Parameters<typeof postTo>[1]) => postTo(`${server?.url}${PATH}`, delivery),
  output: () => server?.output() ?? "",
};

describe("copy-to --deferred --deduplicate blobs into a Netlify site: tsc, netlify functions:serve --offline", () => {
  it("copy-to: the dry run writes nothing, the run writes the copied files and the functions, a re-run keeps them", () => {
    if (record === undefined) throw new Error("copy-to did not run");
    expectCopyToKeptItsWord(record, {
      detected: "Netlify site (netlify.toml or netlify/functions/)",
      libDir: LIB,
      handlerFile: HANDLER,
      envExample: ".env.example",
      alsoCopied: [
        `${LIB}/commercelayer-webhook-queue.mjs`,
        `${LIB}/commercelayer-webhook-queue.d.mts`,
        `${LIB}/blobs-deduplication-store.mjs`,
        `${LIB}/blobs-deduplication-store.d.mts`,
      ],
      alsoYours: [RECEIVING, `netlify/functions/${WORKER}.mts`],
    });
  });

  it("the functions type-check with the site's tsc (strict, against the copied .d.mts)", () => {
    expect(typeChecked?.stdout).toBe("");
    expect(typeChecked?.code).toBe(0);
  });

  it("netlify-cli loads exactly the two functions: lib/, outside the functions folder, holds none", () => {
    expect(loadedFunctions(served.output()).sort()).toEqual([FUNCTION, WORKER]);
  });

  it("a signed orders.place is answered 200 at the function's config.path, and the background function ran the stub", async () => {
    const since = served.output().length;
    await expectHandledByStub(served);
    expect(served.output().slice(since)).toContain(`Queueing background function ${WORKER}`);
  });

  it("--deduplicate blobs: the same delivery again is a duplicate (200), and the stub does not run twice", async () => {
    const delivery = signedDelivery("orders.place", { seed: 61 });
    expect(await served.post(delivery)).toEqual({ status: 200, body: '{"received":true,"outcome":"handled"}' });
    await waitForJsonLine(served.output, (entry) => entry.msg === "orders.place" && entry.id === idOf(delivery));
    const since = served.output().length;
    expect(await served.post(delivery)).toEqual({ status: 200, body: '{"received":true,"outcome":"duplicate"}' });
    await waitForJsonLine(
      () => served.output().slice(since),
      (entry) => entry.msg === "commercelayer webhook" && entry.outcome === "duplicate",
    );
    expect(served.output().slice(since)).not.toContain(`Queueing background function ${WORKER}`);
  });

  it("a forged delivery is refused (401)", async () => {
    await expectForgedRefused(served);
  });
});
