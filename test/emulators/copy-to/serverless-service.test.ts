// copy-to into a Serverless Framework v3 service as a user has one: serverless.yml (AWS, nodejs22.x, a function of its
// own, the serverless-offline plugin), package.json with serverless and serverless-offline as dev dependencies (here:
// test/emulators/aws-lambda's installed node_modules, linked in), and a tsconfig.json but no bundling plugin. Lambda
// loads JavaScript only, so the handler must be commercelayer-webhook.mjs: a .ts handler is what made
// serverless-offline answer 200 with an import error (issue 16). The `functions:` entry the command prints is pasted
// into serverless.yml as a user would; `serverless package` must ship the handler and lib/, and serverless-offline must
// run the handler: 200 handled from the receiver itself, and the stub's log line. Needs `npm run emulators:install`.
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SECRET } from "../../support/deliveries.ts";
import { waitForJsonLine } from "../../support/log-lines.ts";
import {
  type CliResult,
  freePorts,
  EMULATOR_DIR as LAMBDA_EMULATOR_DIR,
  runServerless,
  SERVERLESS_BIN,
  serverlessEnv,
} from "../aws-lambda/serverless-cli.ts";
import { readZip } from "../netlify/suite/netlify-cli.ts";
import { postTo, type ServerProcess, startServerProcess } from "../server-process.ts";
import {
  type CopyToRecord,
  copyToThreeTimes,
  expectCopyToKeptItsWord,
  expectForgedRefused,
  expectHandledByStub,
  printedBlock,
  requireInstalled,
} from "./copy-to-run.ts";

const HANDLER = "commercelayer-webhook.mjs";
const FACTORY = "lib/commercelayer/commercelayer-webhook-factory.mjs";
const PATH = "/webhooks/commercelayer";

// `functions:` last, as it often is: what the user pastes goes at the end of the file, under it.
const SERVERLESS_YML = `service: shop-hooks
frameworkVersion: "3"

provider:
  name: aws
  runtime: nodejs22.x
  region: eu-west-1

plugins:
  - serverless-offline

functions:
  hello:
    handler: hello.handler
    events:
      - httpApi:
          method: GET
          path: /hello
`;

const PACKAGE_JSON = {
  name: "shop-hooks",
  private: true,
  type: "module",
  devDependencies: { serverless: "3.40.0", "serverless-offline": "13.10.1" },
};

let scratch: string | undefined;
let service = "";
let record: CopyToRecord | undefined;
let pasted: string[] = [];
let packaged: CliResult | undefined;
let zip: Map<string, Buffer> = new Map();
let template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> } | undefined;
let offline: ServerProcess | undefined;
let url = "";

beforeAll(async () => {
  requireInstalled(SERVERLESS_BIN, join(LAMBDA_EMULATOR_DIR, "node_modules/serverless-offline/package.json"));
  scratch = mkdtempSync(join(tmpdir(), "cl-copy-to-sls-"));
  service = join(scratch, "service");
  const home = join(scratch, "home");
  mkdirSync(service);
  mkdirSync(home);
  writeFileSync(join(service, "serverless.yml"), SERVERLESS_YML);
  writeFileSync(
    join(service, "hello.mjs"),
    'export const handler = async () => ({ statusCode: 200, body: "hello" });\n',
  );
  writeFileSync(join(service, "package.json"), `${JSON.stringify(PACKAGE_JSON, null, 2)}\n`);
  writeFileSync(join(service, "tsconfig.json"), '{ "compilerOptions": { "strict": true, "module": "NodeNext" } }\n');
  // `npm install -D serverless@3 serverless-offline`, as test/emulators/aws-lambda installed them.
  symlinkSync(join(LAMBDA_EMULATOR_DIR, "node_modules"), join(service, "node_modules"), "dir");

  record = await copyToThreeTimes(service, HANDLER);
  // The entry as printed, less the indentation of the "Next:" list, pasted at the end of `functions:`.
  const block = printedBlock(record.first.stdout, "add this function to serverless.yml", /^\s*then /);
  const indent = Math.min(
    ...block.filter((line) => line.trim() !== "").map((line) => /^ */.exec(line)?.[0].length ?? 0),
  );
  pasted = block.map((line) => line.slice(indent));
  appendFileSync(join(service, "serverless.yml"), pasted.map((line) => `  ${line}\n`).join(""));

  const env = serverlessEnv(home);
  const artifacts = join(scratch, "artifacts");
  packaged = await runServerless(["package", "--package", artifacts], { cwd: service, env, timeoutMs: 120_000 });
  if (packaged.code !== 0)
    throw new Error(`serverless package exited with ${packaged.code}:\n${packaged.stdout}${packaged.stderr}`);
  const archive = readdirSync(artifacts).find((file) => file.endsWith(".zip"));
  if (archive === undefined) throw new Error(`serverless package wrote no .zip: ${readdirSync(artifacts).join(", ")}`);
  zip = readZip(readFileSync(join(artifacts, archive)));
  template = JSON.parse(readFileSync(join(artifacts, "cloudformation-template-update-stack.json"), "utf8"));

  const [httpPort, lambdaPort] = await freePorts(2);
  offline = startServerProcess(
    process.execPath,
    [
      SERVERLESS_BIN,
      "offline",
      "--host",
      "127.0.0.1",
      "--httpPort",
      String(httpPort),
      "--lambdaPort",
      String(lambdaPort),
      "--noSponsor",
    ],
    { cwd: service, env: serverlessEnv(home, { COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET }) },
  );
  await offline.waitForOutput(/Server ready:/, 90_000);
  url = `http://127.0.0.1:${httpPort}${PATH}`;
}, 300_000);

afterAll(async () => {
  await offline?.stop();
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
});

const served = {
  post: (delivery: Parameters<typeof postTo>[1]) => postTo(url, delivery),
  output: () => offline?.output() ?? "",
};

describe("copy-to into a Serverless v3 service: the printed functions entry, serverless package, serverless-offline", () => {
  it("copy-to: the dry run writes nothing, the run writes a JavaScript handler (no bundling plugin), a re-run keeps it", () => {
    if (record === undefined) throw new Error("copy-to did not run");
    expectCopyToKeptItsWord(record, {
      detected: "Serverless Framework service (serverless.yml)",
      libDir: "lib/commercelayer",
      handlerFile: HANDLER,
      envExample: ".env.example",
    });
  });

  it("prints the function's serverless.yml entry: the .mjs handler on an HTTP API POST route, the secret from env", () => {
    expect(pasted).toEqual([
      "commercelayer-webhook:",
      "  handler: commercelayer-webhook.handler",
      "  events:",
      `    - httpApi: { method: POST, path: ${PATH} }`,
      "  environment:",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Serverless's own variable syntax, as printed
      "    COMMERCELAYER_WEBHOOK_SECRET: ${env:COMMERCELAYER_WEBHOOK_SECRET, ''}",
    ]);
  });

  it("serverless package ships the handler and the factory byte for byte, and deploys the function on nodejs22.x", () => {
    expect(zip.get(HANDLER)?.equals(readFileSync(join(service, HANDLER)))).toBe(true);
    expect(zip.get(FACTORY)?.equals(readFileSync(join(service, FACTORY)))).toBe(true);
    // Dev dependencies stay out: the plugin and the CLI are not the function's.
    expect([...zip.keys()].filter((file) => file.startsWith("node_modules/serverless"))).toEqual([]);
    const functions = Object.values(template?.Resources ?? {}).filter(
      (resource) => resource.Type === "AWS::Lambda::Function",
    );
    const webhook = functions.find((resource) => resource.Properties?.Handler === "commercelayer-webhook.handler");
    expect(webhook?.Properties?.Runtime).toBe("nodejs22.x");
  });

  it("serverless-offline: a signed orders.place is handled (200) by the receiver and the stub handler logged it", async () => {
    const since = await expectHandledByStub(served);
    // The receiver's own line: the answer came from it, not from the emulator.
    await waitForJsonLine(
      () => served.output().slice(since),
      (entry) =>
        entry.msg === "commercelayer webhook" && entry.platform === "aws-lambda" && entry.outcome === "handled",
    );
  });

  it("serverless-offline: a forged delivery is refused (401)", async () => {
    await expectForgedRefused(served);
  });
});
