// copy-to --deferred into a Serverless Framework v3 service as a user has one: serverless.yml (AWS, a function of its
// own, the serverless-offline plugin, and an old `runtime: nodejs20.x`), package.json ("type": "module") with serverless
// and serverless-offline as dev dependencies (here: test/emulators/aws-lambda's installed node_modules, linked in, and
// the root's above it for @aws-sdk/client-sqs, which the command says to install), and a tsconfig.json but no bundling
// plugin. The command warns about the runtime line and the user changes it as told; the `functions:` entries it prints
// are pasted under `functions:`, its top-level entries merged into the file. Then:
// - `serverless package` ships the handler and the copied files, with the worker on the queue as its event source;
// - serverless-offline runs the receiving function: 200, the deferred delivery in the queue (a local fauxqs), 401 for
//   a forged one;
// - `serverless invoke local`, which `require`s the handler by its name with no extension (so never an .mjs), runs the
//   receiving function, and the worker on the SQS event of the queued message: the stub runs there.
// A second, CommonJS service (no "type") gets CommonJS files, which `serverless invoke local` requires as they are.
// Needs `npm run emulators:install`.
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
import { type Message, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lambdaEvent } from "../../../infra/drive/lambda-events.ts";
import { queueArnOf, sqsEvent } from "../../../infra/drive/sqs-events.ts";
import { signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";
import { waitForJsonLine } from "../../support/log-lines.ts";
import { type LocalQueue, startLocalQueue } from "../aws-lambda/local-queue.ts";
import {
  type CliResult,
  freePorts,
  EMULATOR_DIR as LAMBDA_EMULATOR_DIR,
  ROOT,
  runServerless,
  SERVERLESS_BIN,
  serverlessEnv,
} from "../aws-lambda/serverless-cli.ts";
import { readZip } from "../netlify/suite/netlify-cli.ts";
import { postTo, type ServerProcess, startServerProcess } from "../server-process.ts";
import {
  type CopyToRecord,
  copyTo,
  copyToThreeTimes,
  expectCopyToKeptItsWord,
  expectForgedRefused,
  printedBlock,
  requireInstalled,
} from "./copy-to-run.ts";

const HANDLER = "commercelayer-webhook.js";
const LIB = "lib/commercelayer";
const FACTORY = `${LIB}/commercelayer-webhook-factory.mjs`;
const QUEUE = `${LIB}/commercelayer-webhook-queue.mjs`;
const PATH = "/webhooks/commercelayer";
const RUNTIME_LINE = 6;

// `functions:` last, as it often is: what the user pastes under it goes at the end of the file.
const SERVERLESS_YML = `service: shop-hooks
frameworkVersion: "3"

provider:
  name: aws
  runtime: nodejs20.x
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

/** `npm install -D serverless@3 serverless-offline`: dev dependencies, which `serverless package` leaves out. */
const DEV_DEPENDENCIES = { serverless: "3.40.0", "serverless-offline": "13.10.1" };

let scratch = "";
let service = "";
let home = "";
let record: CopyToRecord | undefined;
let functionsPasted: string[] = [];
let packaged: CliResult | undefined;
let zip: Map<string, Buffer> = new Map();
let template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> } | undefined;
let queue: LocalQueue | undefined;
let sqs: SQSClient | undefined;
let offline: ServerProcess | undefined;
let url = "";

/** The lines printed after `marker` up to `until`, less the indentation of the "Next:" list. */
function pastedBlock(output: string, marker: string, until: RegExp): string[] {
  const block = printedBlock(output, marker, until);
  const indent = Math.min(
    ...block.filter((line) => line.trim() !== "").map((line) => /^ */.exec(line)?.[0].length ?? 0),
  );
  return block.map((line) => line.slice(indent));
}

/** Merges top-level entries into serverless.yml as a user would: under an existing key, or as a new one at the end. */
function mergeTopLevel(yml: string, entries: readonly string[]): string {
  let merged = yml;
  let key = "";
  const sections = new Map<string, string[]>();
  for (const line of entries) {
    if (/^\S/.test(line)) key = line;
    else sections.set(key, [...(sections.get(key) ?? []), line]);
  }
  for (const [heading, lines] of sections) {
    merged = merged.includes(`\n${heading}\n`)
      ? merged.replace(`\n${heading}\n`, `\n${heading}\n${lines.join("\n")}\n`)
      : `${merged}\n${heading}\n${lines.join("\n")}\n`;
  }
  return merged;
}

/** A service folder with these files, its serverless and plugins installed (linked), @aws-sdk/client-sqs above it. */
function makeService(name: string, packageJson: object, yml: string): string {
  const dir = join(scratch, "services", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "serverless.yml"), yml);
  writeFileSync(join(dir, "hello.mjs"), 'export const handler = async () => ({ statusCode: 200, body: "hello" });\n');
  const manifest = { name, private: true, ...packageJson, devDependencies: DEV_DEPENDENCIES };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  symlinkSync(join(LAMBDA_EMULATOR_DIR, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

const drain = async (): Promise<Message[]> =>
  (await sqs?.send(new ReceiveMessageCommand({ QueueUrl: queue?.queueUrl, MaxNumberOfMessages: 10 })))?.Messages ?? [];

/** `serverless invoke local -f <name>` with `event`; what it printed (the function's lines, then its result). */
async function invokeLocal(dir: string, name: string, event: unknown, env: Record<string, string> = {}) {
  const file = join(dir, `event-${name}.json`);
  writeFileSync(file, JSON.stringify(event));
  const result = await runServerless(["invoke", "local", "-f", name, "--path", file], {
    cwd: dir,
    env: serverlessEnv(home, { COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET, ...env }),
    timeoutMs: 60_000,
  });
  rmSync(file);
  return result;
}

/** The result invoke local printed last, indented over several lines, after the function's one-line JSON logs. */
function invokeResult(output: string): unknown {
  const lines = output.split("\n");
  const start = lines.lastIndexOf("{");
  const end = lines.indexOf("}", start);
  if (start < 0 || end < 0) throw new Error(`no result in:\n${output}`);
  return JSON.parse(lines.slice(start, end + 1).join("\n"));
}

const httpApiEvent = (delivery: ReturnType<typeof signedDelivery>) =>
  lambdaEvent("http-api-v2", { method: "POST", headers: delivery.headers, body: delivery.body }, false);
const idOf = (delivery: { body: Buffer }) =>
  (JSON.parse(delivery.body.toString("utf8")) as { data: { id: string } }).data.id;

beforeAll(async () => {
  requireInstalled(SERVERLESS_BIN, join(LAMBDA_EMULATOR_DIR, "node_modules/serverless-offline/package.json"));
  scratch = mkdtempSync(join(tmpdir(), "cl-copy-to-sls-"));
  home = join(scratch, "home");
  mkdirSync(home);
  // `npm install -D @aws-sdk/client-sqs`, as the command says for local runs: the root package has it, and the
  // services' folder sees it from above.
  symlinkSync(join(ROOT, "node_modules"), join(scratch, "node_modules"), "dir");
  service = makeService("shop-hooks", { type: "module" }, SERVERLESS_YML);
  writeFileSync(join(service, "tsconfig.json"), '{ "compilerOptions": { "strict": true, "module": "NodeNext" } }\n');

  record = await copyToThreeTimes(service, HANDLER, ["--deferred"]);
  const output = record.first.stdout;
  functionsPasted = pastedBlock(output, "add these functions to serverless.yml", /^\s*and at the top level/);
  const topLevel = pastedBlock(output, "and at the top level of serverless.yml", /^\s*locally, /);
  // The runtime line the warning names, changed as it says.
  const yml = readFileSync(join(service, "serverless.yml"), "utf8")
    .split("\n")
    .map((line, index) => (index === RUNTIME_LINE - 1 ? line.replace(/runtime: \S+/, "runtime: nodejs22.x") : line))
    .join("\n");
  writeFileSync(join(service, "serverless.yml"), yml);
  appendFileSync(join(service, "serverless.yml"), functionsPasted.map((line) => `  ${line}\n`).join(""));
  writeFileSync(
    join(service, "serverless.yml"),
    mergeTopLevel(readFileSync(join(service, "serverless.yml"), "utf8"), topLevel),
  );

  const artifacts = join(scratch, "artifacts");
  packaged = await runServerless(["package", "--package", artifacts], {
    cwd: service,
    env: serverlessEnv(home),
    timeoutMs: 120_000,
  });
  if (packaged.code !== 0)
    throw new Error(`serverless package exited with ${packaged.code}:\n${packaged.stdout}${packaged.stderr}`);
  const archive = readdirSync(artifacts).find((file) => file.endsWith(".zip"));
  if (archive === undefined) throw new Error(`serverless package wrote no .zip: ${readdirSync(artifacts).join(", ")}`);
  zip = readZip(readFileSync(join(artifacts, archive)));
  template = JSON.parse(readFileSync(join(artifacts, "cloudformation-template-update-stack.json"), "utf8"));

  queue = await startLocalQueue();
  sqs = new SQSClient({ endpoint: queue.endpoint, region: "us-east-1", credentials: queue.credentials });
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
    { cwd: service, env: serverlessEnv(home, { COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET, ...queueEnv() }) },
  );
  await offline.waitForOutput(/Server ready:/, 90_000);
  url = `http://127.0.0.1:${httpPort}${PATH}`;
}, 300_000);

/** What a local run of the receiving function needs to reach the local queue. */
function queueEnv(): Record<string, string> {
  return {
    COMMERCELAYER_WEBHOOK_QUEUE_URL: queue?.queueUrl ?? "",
    AWS_ACCESS_KEY_ID: queue?.credentials.accessKeyId ?? "",
    AWS_SECRET_ACCESS_KEY: queue?.credentials.secretAccessKey ?? "",
  };
}

afterAll(async () => {
  await offline?.stop();
  sqs?.destroy();
  await queue?.stop();
  if (scratch !== "") rmSync(scratch, { recursive: true, force: true });
});

describe("copy-to --deferred into a Serverless v3 service: the printed entries, package, serverless-offline, invoke local", () => {
  it("copy-to: a .js handler in the service's module system, the factory and the queue file, a re-run keeps it", () => {
    if (record === undefined) throw new Error("copy-to did not run");
    expectCopyToKeptItsWord(record, {
      detected: "Serverless Framework service (serverless.yml)",
      libDir: LIB,
      handlerFile: HANDLER,
      envExample: ".env.example",
      alsoCopied: [QUEUE, `${LIB}/commercelayer-webhook-queue.d.mts`],
    });
  });

  it("warns about the service's nodejs20.x, naming the line to change", () => {
    expect(record?.first.stdout).toContain(
      `warning: serverless.yml:${RUNTIME_LINE}: provider.runtime is nodejs20.x, on which Lambda no longer creates or updates functions: change that line to \`runtime: nodejs22.x\``,
    );
  });

  it("prints the receiving function (the queue's URL from the stack, or the shell) and the worker on the queue", () => {
    expect(functionsPasted).toEqual([
      "commercelayer-webhook:",
      "  handler: commercelayer-webhook.handler",
      "  events:",
      `    - httpApi: { method: POST, path: ${PATH} }`,
      "  environment:",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Serverless's own variable syntax, as printed
      "    COMMERCELAYER_WEBHOOK_SECRET: ${env:COMMERCELAYER_WEBHOOK_SECRET, ''}",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Serverless's own variable syntax, as printed
      "    COMMERCELAYER_WEBHOOK_QUEUE_URL: ${env:COMMERCELAYER_WEBHOOK_QUEUE_URL, self:custom.commercelayerWebhookQueueUrl}",
      "commercelayer-webhook-worker:",
      "  handler: commercelayer-webhook.worker",
      "  timeout: 30",
      "  events:",
      "    - sqs: { arn: !GetAtt CommercelayerWebhookQueue.Arn, batchSize: 10, functionResponseType: ReportBatchItemFailures }",
      "  environment:",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Serverless's own variable syntax, as printed
      "    COMMERCELAYER_WEBHOOK_SECRET: ${env:COMMERCELAYER_WEBHOOK_SECRET, ''}",
    ]);
  });

  it("serverless package ships the handler and the copied files byte for byte, on nodejs22.x, the worker on the queue", () => {
    for (const file of [HANDLER, FACTORY, QUEUE])
      expect(zip.get(file)?.equals(readFileSync(join(service, file))), file).toBe(true);
    expect([...zip.keys()].filter((file) => file.startsWith("node_modules/serverless"))).toEqual([]);
    const resources = Object.values(template?.Resources ?? {});
    const functionOf = (handler: string) =>
      resources.find(
        (resource) => resource.Type === "AWS::Lambda::Function" && resource.Properties?.Handler === handler,
      );
    const receiving = functionOf("commercelayer-webhook.handler");
    expect(receiving?.Properties?.Runtime).toBe("nodejs22.x");
    // Deployed, the queue's URL comes from the stack (the shell set none here).
    expect(receiving?.Properties?.Environment).toMatchObject({
      Variables: { COMMERCELAYER_WEBHOOK_QUEUE_URL: { Ref: "CommercelayerWebhookQueue" } },
    });
    expect(functionOf("commercelayer-webhook.worker")?.Properties?.Runtime).toBe("nodejs22.x");
    const mapping = resources.find((resource) => resource.Type === "AWS::Lambda::EventSourceMapping");
    expect(mapping?.Properties).toMatchObject({
      EventSourceArn: { "Fn::GetAtt": ["CommercelayerWebhookQueue", "Arn"] },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
    expect(resources.filter((resource) => resource.Type === "AWS::SQS::Queue")).toHaveLength(2);
  });

  it("serverless-offline: a signed orders.place is answered 200 and handed to the queue, the stub not run yet", async () => {
    await drain();
    const delivery = signedDelivery("orders.place", { seed: 51 });
    const since = offline?.output().length ?? 0;
    expect(await postTo(url, delivery)).toEqual({ status: 200, body: '{"received":true,"outcome":"handled"}' });
    await waitForJsonLine(
      () => offline?.output().slice(since) ?? "",
      (entry) =>
        entry.msg === "commercelayer webhook" && entry.platform === "aws-lambda" && entry.outcome === "handled",
    );
    const messages = await drain();
    expect(messages.map((message) => JSON.parse(message.Body ?? "{}").topic)).toEqual(["orders.place"]);
    expect(offline?.output().slice(since)).not.toContain('{"msg":"orders.place"');
  });

  it("serverless-offline: a forged delivery is refused (401)", async () => {
    await expectForgedRefused({ post: (delivery) => postTo(url, delivery), output: () => offline?.output() ?? "" });
  });

  it("serverless invoke local: the receiving function loads and answers 200, handing the delivery to the queue", async () => {
    await drain();
    const delivery = signedDelivery("orders.place", { seed: 52 });
    const invoked = await invokeLocal(service, "commercelayer-webhook", httpApiEvent(delivery), queueEnv());
    expect(invoked.code, `${invoked.stdout}${invoked.stderr}`).toBe(0);
    expect(invokeResult(invoked.stdout)).toMatchObject({
      statusCode: 200,
      body: '{"received":true,"outcome":"handled"}',
    });
    const messages = await drain();
    expect(messages.map((message) => JSON.parse(message.Body ?? "{}").topic)).toEqual(["orders.place"]);
    // The worker, given the SQS event AWS would build from that message: the deferred stub runs there.
    const worked = await invokeLocal(
      service,
      "commercelayer-webhook-worker",
      sqsEvent(messages, queueArnOf(queue?.queueUrl ?? "")),
    );
    expect(worked.code, `${worked.stdout}${worked.stderr}`).toBe(0);
    expect(invokeResult(worked.stdout)).toEqual({ batchItemFailures: [] });
    const line = await waitForJsonLine(
      () => worked.stdout,
      (entry) => entry.msg === "orders.place",
    );
    expect(line).toEqual({ msg: "orders.place", id: idOf(delivery) });
  });
});

describe("copy-to into a CommonJS Serverless service (no type in package.json): serverless invoke local", () => {
  let commonJs = "";
  let copied: Awaited<ReturnType<typeof copyTo>> | undefined;

  beforeAll(async () => {
    commonJs = makeService("shop-hooks-cjs", {}, SERVERLESS_YML.replace("nodejs20.x", "nodejs22.x"));
    copied = await copyTo(commonJs);
    const entry = pastedBlock(copied.stdout, "add this function to serverless.yml", /^\s*then /);
    appendFileSync(join(commonJs, "serverless.yml"), entry.map((line) => `  ${line}\n`).join(""));
  }, 60_000);

  it("writes a CommonJS handler that requires .cjs copies, and no runtime warning for nodejs22.x", () => {
    expect(copied?.code, copied?.stderr).toBe(0);
    expect(copied?.stdout).not.toContain("warning:");
    expect(readFileSync(join(commonJs, HANDLER), "utf8")).toContain(
      'require("./lib/commercelayer/commercelayer-webhook-factory.cjs");',
    );
  });

  it("the handler loads and handles a signed orders.place: 200, and the stub logged it", async () => {
    const delivery = signedDelivery("orders.place", { seed: 53 });
    const invoked = await invokeLocal(commonJs, "commercelayer-webhook", httpApiEvent(delivery));
    expect(invoked.code, `${invoked.stdout}${invoked.stderr}`).toBe(0);
    expect(invokeResult(invoked.stdout)).toMatchObject({
      statusCode: 200,
      body: '{"received":true,"outcome":"handled"}',
    });
    const line = await waitForJsonLine(
      () => invoked.stdout,
      (entry) => entry.msg === "orders.place",
    );
    expect(line).toEqual({ msg: "orders.place", id: idOf(delivery) });
  });
});
