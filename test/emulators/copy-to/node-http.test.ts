// copy-to --as node into a plain Node server (JavaScript, node:http, no framework, no tsconfig): a project the command
// cannot tell by itself, so it is named. The command writes commercelayer-webhook.mjs exporting `commercelayerWebhook`;
// the two lines it prints are pasted into the server as a user would, and `node server.mjs` serves signed and forged
// deliveries.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SECRET } from "../../support/deliveries.ts";
import { freePort, postTo, type ServerProcess, startServerProcess } from "../server-process.ts";
import {
  type CommandRun,
  type CopyToRecord,
  copyTo,
  copyToThreeTimes,
  expectCopyToKeptItsWord,
  expectForgedRefused,
  expectHandledByStub,
  fileTree,
  printedBlock,
} from "./copy-to-run.ts";

const HANDLER = "commercelayer-webhook.mjs";
const PATH = "/webhooks/commercelayer";

// The user's server before the copy; the markers are where the printed lines go.
const SERVER = `import { createServer } from "node:http";
// <imports>

const server = createServer((req, res) => {
  // <first thing in the request handler>
  res.writeHead(404, { "content-type": "text/plain" }).end("not found\\n");
});
server.listen(Number(process.env.PORT), "127.0.0.1", () => {
  console.log(\`listening on \${JSON.stringify(server.address())}\`);
});
`;

let scratch: string | undefined;
let project = "";
let undetected: { run: CommandRun; before: Record<string, string>; after: Record<string, string> } | undefined;
let record: CopyToRecord | undefined;
let printed: string[] = [];
let server: ServerProcess | undefined;
let url = "";

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "cl-copy-to-node-"));
  project = join(scratch, "server");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), `${JSON.stringify({ name: "hooks", private: true }, null, 2)}\n`);
  writeFileSync(join(project, "server.mjs"), SERVER);

  const before = fileTree(project);
  const run = await copyTo(project);
  undetected = { run, before, after: fileTree(project) };

  record = await copyToThreeTimes(project, HANDLER, ["--as", "node"]);
  printed = printedBlock(record.first.stdout, "Next:", /set COMMERCELAYER_WEBHOOK_SECRET/).map((line) => line.trim());
  const source = readFileSync(join(project, "server.mjs"), "utf8")
    .replace("// <imports>", printed[0]?.replace(/^.*?: (?=import )/, "") ?? "")
    .replace("// <first thing in the request handler>", printed[1] ?? "");
  writeFileSync(join(project, "server.mjs"), source);

  const port = await freePort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("COMMERCELAYER_")));
  server = startServerProcess(process.execPath, ["server.mjs"], {
    cwd: project,
    env: { ...env, PORT: String(port), COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET },
  });
  await server.waitForOutput(/^listening on /m, 30_000);
  url = `http://127.0.0.1:${port}`;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

const served = {
  post: (delivery: Parameters<typeof postTo>[1]) => postTo(`${url}${PATH}`, delivery),
  output: () => server?.output() ?? "",
};

describe("copy-to --as node into a plain node:http server (JavaScript): the printed lines pasted, node", () => {
  it("without --as, the command says it cannot tell the project, names the kinds, and writes nothing", () => {
    expect(undetected?.run.code).toBe(1);
    expect(undetected?.run.stderr).toContain("Name it with --as <kind>.");
    expect(undetected?.after).toEqual(undetected?.before);
  });

  it("copy-to: the dry run writes nothing, the run writes the factory and the handler module, a re-run keeps it", () => {
    if (record === undefined) throw new Error("copy-to did not run");
    expectCopyToKeptItsWord(record, {
      detected: "plain Node server (node:http), with --as node",
      libDir: "lib/commercelayer",
      handlerFile: HANDLER,
      envExample: ".env.example",
    });
  });

  it("prints the import and the line that routes the webhook's requests to it", () => {
    expect(printed.slice(0, 2)).toEqual([
      `call it from your server: import { commercelayerWebhook } from "./${HANDLER}";`,
      `if (req.method === "POST" && req.url === "${PATH}") return commercelayerWebhook(req, res);`,
    ]);
  });

  it("a signed orders.place is handled (200) and the stub handler logged it", async () => {
    await expectHandledByStub(served);
  });

  it("a forged delivery is refused (401)", async () => {
    await expectForgedRefused(served);
  });
});
