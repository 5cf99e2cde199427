// copy-to into an Express app as a user has one: TypeScript under src/, express 5 and its types (this package's,
// linked in as the app's node_modules), a JSON body parser for its other routes, run with tsx. The command writes
// src/commercelayer-webhook.ts exporting `commercelayerWebhook`; the two lines it prints (the import, the route) are
// pasted into src/server.ts as a user would, the route before the JSON parser as the command says. The app's tsc checks
// it all; the app serves signed and forged deliveries. Needs `npm run emulators:install`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SECRET } from "../../support/deliveries.ts";
import { freePort, postTo, type ServerProcess, startServerProcess } from "../server-process.ts";
import {
  type CommandRun,
  type CopyToRecord,
  copyToThreeTimes,
  EMULATOR_MODULES,
  expectCopyToKeptItsWord,
  expectForgedRefused,
  expectHandledByStub,
  printedBlock,
  requireInstalled,
  run,
} from "./copy-to-run.ts";

const HANDLER = "src/commercelayer-webhook.ts";
const PATH = "/webhooks/commercelayer";
const TSC = join(EMULATOR_MODULES, "typescript/bin/tsc");
const TSX = join(EMULATOR_MODULES, "tsx/dist/cli.mjs");

const PACKAGE_JSON = {
  name: "shop-api",
  private: true,
  type: "module",
  scripts: { start: "tsx src/server.ts", typecheck: "tsc" },
  dependencies: { express: "5.3.0" },
  devDependencies: { "@types/express": "5.0.6", "@types/node": "20.19.43", tsx: "4.23.15", typescript: "5.9.3" },
};

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    noEmit: true,
    skipLibCheck: true,
  },
  include: ["src"],
};

// The user's server before the copy: a JSON API. The markers are where the printed lines go.
const SERVER = `import express from "express";
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

/** This process's environment less any COMMERCELAYER_* setting of the developer's own. */
function shellWithoutReceiverSettings(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("COMMERCELAYER_")));
}

let scratch: string | undefined;
let app = "";
let record: CopyToRecord | undefined;
let printed: string[] = [];
let typeChecked: CommandRun | undefined;
let server: ServerProcess | undefined;
let url = "";

beforeAll(async () => {
  requireInstalled(TSC, TSX, join(EMULATOR_MODULES, "express/package.json"));
  scratch = mkdtempSync(join(tmpdir(), "cl-copy-to-express-"));
  app = join(scratch, "shop-api");
  mkdirSync(join(app, "src"), { recursive: true });
  writeFileSync(join(app, "package.json"), `${JSON.stringify(PACKAGE_JSON, null, 2)}\n`);
  writeFileSync(join(app, "tsconfig.json"), `${JSON.stringify(TSCONFIG, null, 2)}\n`);
  writeFileSync(join(app, "src/server.ts"), SERVER);
  // `npm install`, as this package installed the same versions.
  symlinkSync(EMULATOR_MODULES, join(app, "node_modules"), "dir");

  record = await copyToThreeTimes(app, HANDLER);
  printed = printedBlock(record.first.stdout, "Next:", /set COMMERCELAYER_WEBHOOK_SECRET/).map((line) => line.trim());
  const importLine = printed[0]?.replace(/^.*?: (?=import )/, "");
  const routeLine = printed[1];
  const source = readFileSync(join(app, "src/server.ts"), "utf8")
    .replace("// <imports>", importLine ?? "")
    .replace("// <before the JSON parser>", routeLine ?? "");
  writeFileSync(join(app, "src/server.ts"), source);

  typeChecked = await run(process.execPath, [TSC, "-p", app], { cwd: app, timeoutMs: 60_000 });
  const port = await freePort();
  server = startServerProcess(process.execPath, [TSX, "src/server.ts"], {
    cwd: app,
    env: { ...shellWithoutReceiverSettings(), PORT: String(port), COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET },
  });
  await server.waitForOutput(/^listening on /m, 30_000);
  url = `http://127.0.0.1:${port}`;
}, 180_000);

afterAll(async () => {
  await server?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

const served = {
  post: (delivery: Parameters<typeof postTo>[1]) => postTo(`${url}${PATH}`, delivery),
  output: () => server?.output() ?? "",
};

describe("copy-to into an Express app (TypeScript, src/): the printed lines pasted, tsc, tsx", () => {
  it("copy-to: the dry run writes nothing, the run writes the factory in lib/ and the handler, a re-run keeps it", () => {
    if (record === undefined) throw new Error("copy-to did not run");
    expectCopyToKeptItsWord(record, {
      detected: "Express app",
      libDir: "lib/commercelayer",
      handlerFile: HANDLER,
      envExample: ".env.example",
    });
  });

  it("prints the import (a .js specifier, as NodeNext wants for a .ts file) and the route to add", () => {
    expect(printed.slice(0, 2)).toEqual([
      'mount it before any JSON body parser: import { commercelayerWebhook } from "./commercelayer-webhook.js";',
      `app.post("${PATH}", commercelayerWebhook);`,
    ]);
  });

  it("the app type-checks with its own tsc (strict, against express's types and the copied .d.mts)", () => {
    expect(typeChecked?.stdout).toBe("");
    expect(typeChecked?.code).toBe(0);
  });

  it("a signed orders.place is handled (200) and the stub handler logged it", async () => {
    await expectHandledByStub(served);
  });

  it("a forged delivery is refused (401)", async () => {
    await expectForgedRefused(served);
  });

  it("the app's own JSON route still parses JSON: the webhook route took nothing from it", async () => {
    const response = await fetch(`${url}/api/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sku: "TSHIRT" }),
    });
    expect(await response.json()).toEqual({ echoed: { sku: "TSHIRT" } });
  });
});
