// copy-to into a CommonJS Express app as `npm init` and the Express docs make one: package.json with
// "type": "commonjs", server.js with `require("express")`, no tsconfig. With --external tax-calculator and
// --deduplicate memory. The command writes CommonJS (the handler files `require` .cjs copies); the lines it prints
// (`require` them, mount the routes before the JSON parser) are pasted into server.js as a user would, and `node
// server.js` serves them on Node 20 (this one) and Node 22 (test/emulators/edge's node22), each with require(esm)
// turned off: what Node 20 before 20.19 and Node 22 before 22.12 do, where an ES module cannot be required at all.
// Needs `npm run emulators:install`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";
import { EXTERNAL_SECRETS, signedExternalCall } from "../../support/external-requests.ts";
import { waitForJsonLine } from "../../support/log-lines.ts";
import { freePort, postTo, type ServerProcess, startServerProcess } from "../server-process.ts";
import {
  type CopyToRecord,
  copyToThreeTimes,
  EMULATOR_MODULES,
  expectCopyToKeptItsWord,
  expectForgedRefused,
  expectHandledByStub,
  printedBlock,
  ROOT,
  requireInstalled,
} from "./copy-to-run.ts";

const HANDLER = "commercelayer-webhook.js";
const EXTERNAL = "commercelayer-external.js";
const PATH = "/webhooks/commercelayer";
const TAX_PATH = "/external/tax-calculator";
const LIB = "lib/commercelayer";
const NODE_22 = join(ROOT, "test/emulators/edge/node_modules/node22/bin/node");
const RUNTIMES = [
  { node: "Node 20", binary: process.execPath },
  { node: "Node 22", binary: NODE_22 },
] as const;

// `npm init -y` (npm 11), with Express added.
const PACKAGE_JSON = {
  name: "shop-api",
  version: "1.0.0",
  description: "",
  main: "server.js",
  scripts: { start: "node server.js" },
  keywords: [],
  author: "",
  license: "ISC",
  type: "commonjs",
  dependencies: { express: "5.3.0" },
};

// The user's server before the copy: a JSON API. The markers are where the printed lines go.
const SERVER = `const express = require("express");
// <imports>

const app = express();
// <before the JSON parser>
app.use(express.json());

app.post("/api/echo", (req, res) => {
  res.json({ echoed: req.body });
});

const server = app.listen(Number(process.env.PORT), "127.0.0.1", () => {
  console.log(\`listening on \${JSON.stringify(server.address())}\`);
});
`;

let scratch: string | undefined;
let record: CopyToRecord | undefined;
let printed: string[] = [];
const servers = new Map<string, { server: ServerProcess; url: string }>();

beforeAll(async () => {
  requireInstalled(join(EMULATOR_MODULES, "express/package.json"), NODE_22);
  scratch = mkdtempSync(join(tmpdir(), "cl-copy-to-express-cjs-"));
  const app = join(scratch, "shop-api");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), `${JSON.stringify(PACKAGE_JSON, null, 2)}\n`);
  writeFileSync(join(app, "server.js"), SERVER);
  // `npm install`, as this package installed the same Express.
  symlinkSync(EMULATOR_MODULES, join(app, "node_modules"), "dir");

  record = await copyToThreeTimes(app, HANDLER, ["--external", "tax-calculator", "--deduplicate", "memory"]);
  printed = printedBlock(record.first.stdout, "Next:", /set COMMERCELAYER_WEBHOOK_SECRET/).map((line) => line.trim());
  const loads = printed.filter((_, index) => index % 2 === 0).map((line) => line.replace(/^.*?: (?=const )/, ""));
  const routes = printed.filter((_, index) => index % 2 === 1);
  const source = readFileSync(join(app, "server.js"), "utf8")
    .replace("// <imports>", loads.join("\n"))
    .replace("// <before the JSON parser>", routes.join("\n"));
  writeFileSync(join(app, "server.js"), source);

  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("COMMERCELAYER_")));
  for (const { node, binary } of RUNTIMES) {
    const port = await freePort();
    const server = startServerProcess(binary, ["--no-experimental-require-module", "server.js"], {
      cwd: app,
      env: {
        ...env,
        PORT: String(port),
        COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET,
        COMMERCELAYER_TAX_CALCULATOR_SECRET: EXTERNAL_SECRETS.COMMERCELAYER_TAX_CALCULATOR_SECRET,
      },
    });
    servers.set(node, { server, url: `http://127.0.0.1:${port}` });
    await server.waitForOutput(/^listening on /m, 30_000);
  }
}, 120_000);

afterAll(async () => {
  for (const { server } of servers.values()) await server.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

const idOf = (delivery: { body: Buffer }) =>
  (JSON.parse(delivery.body.toString("utf8")) as { data: { id: string } }).data.id;

/** The app as one runtime serves it. */
function servedBy(node: string) {
  const running = () => {
    const entry = servers.get(node);
    if (entry === undefined) throw new Error(`the app is not running on ${node}`);
    return entry;
  };
  return {
    url: () => running().url,
    post: (delivery: Parameters<typeof postTo>[1]) => postTo(`${running().url}${PATH}`, delivery),
    output: () => running().server.output(),
  };
}

describe("copy-to into a CommonJS Express app (JavaScript, require): the printed lines pasted, node without require(esm)", () => {
  it("copy-to: CommonJS detected, .cjs copies and their .d.cts, the handler and external files, a re-run keeps them", () => {
    if (record === undefined) throw new Error("copy-to did not run");
    expectCopyToKeptItsWord(record, {
      detected: "Express app, CommonJS",
      libDir: LIB,
      handlerFile: HANDLER,
      envExample: ".env.example",
      flavour: "cjs",
      alsoCopied: [
        `${LIB}/memory-deduplication-store.cjs`,
        `${LIB}/memory-deduplication-store.d.cts`,
        `${LIB}/commercelayer-external-factory.cjs`,
        `${LIB}/commercelayer-external-factory.d.cts`,
      ],
      alsoYours: [EXTERNAL],
    });
  });

  it("prints `require` lines, not `import` (which a CommonJS file cannot hold), and the routes to mount", () => {
    expect(printed.slice(0, 4)).toEqual([
      `mount it before any JSON body parser: const { commercelayerWebhook } = require("./${HANDLER}");`,
      `app.post("${PATH}", commercelayerWebhook);`,
      `mount it too, before any JSON body parser: const { commercelayerExternal } = require("./${EXTERNAL}");`,
      `app.post(["${TAX_PATH}"], commercelayerExternal);`,
    ]);
  });
});

describe.each(RUNTIMES)("the CommonJS Express app on $node, require(esm) off", ({ node }) => {
  const served = servedBy(node);

  it("a signed orders.place is handled (200) and the stub handler logged it", async () => {
    await expectHandledByStub(served);
  });

  it("a forged delivery is refused (401)", async () => {
    await expectForgedRefused(served);
  });

  it("--deduplicate memory: the same delivery again is a duplicate (200), and the stub does not run twice", async () => {
    // Another order than expectHandledByStub's: a delivery of its own.
    const delivery = signedDelivery("orders.place", { seed: 41 });
    const first = await served.post(delivery);
    expect(first).toEqual({ status: 200, body: '{"received":true,"outcome":"handled"}' });
    await waitForJsonLine(served.output, (entry) => entry.msg === "orders.place" && entry.id === idOf(delivery));
    const since = served.output().length;
    expect(await served.post(delivery)).toEqual({ status: 200, body: '{"received":true,"outcome":"duplicate"}' });
    await waitForJsonLine(
      () => served.output().slice(since),
      (entry) => entry.msg === "commercelayer webhook" && entry.outcome === "duplicate",
    );
    expect(served.output().slice(since)).not.toContain('{"msg":"orders.place"');
  });

  it("--external tax-calculator: a signed call reaches the stub, which answers 422 until written; a forged one 401", async () => {
    const call = signedExternalCall("tax-calculator", { id: "order_tax_1" });
    const answer = await postTo(`${served.url()}${TAX_PATH}`, call);
    expect(answer.status).toBe(422);
    expect(JSON.parse(answer.body)).toMatchObject({ success: false, error: { code: "not_written" } });
    await waitForJsonLine(served.output, (entry) => entry.msg === "tax-calculator" && entry.id === "order_tax_1");
    const forged = await postTo(`${served.url()}${TAX_PATH}`, signedExternalCall("tax-calculator", { secret: "no" }));
    expect(forged.status).toBe(401);
  });

  it("the app's own JSON route still parses JSON: the receivers took nothing from it", async () => {
    const response = await fetch(`${served.url()}/api/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sku: "TSHIRT" }),
    });
    expect(await response.json()).toEqual({ echoed: { sku: "TSHIRT" } });
  });
});
