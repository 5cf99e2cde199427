// `serverless package` on the root serverless.yml, exactly as a user runs it before `deploy`: no AWS credentials, no
// login, no COMMERCELAYER_WEBHOOK_SECRET. Checks the artifact and the CloudFormation template it would deploy. Run in a
// scratch copy of the service (createScratchService): the root serverless.yml as it is, next to bundles built from the
// suites' own handlers (test/fixtures/handlers.ts), so that nothing here depends on functions/handlers.ts.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_LINE } from "../../fixtures/handlers.ts";
import {
  assertPrerequisites,
  type CliResult,
  createScratchService,
  runServerless,
  type ScratchService,
  serverlessEnv,
} from "./serverless-cli.ts";

const RECEIVING = "dist/aws-lambda/commercelayer-webhook.mjs";
const WORKER = "dist/aws-lambda/commercelayer-webhook-worker.mjs";

interface CfResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string[];
}

interface CfTemplate {
  readonly Resources: Record<string, CfResource>;
  readonly Outputs: Record<string, unknown>;
}

/** The files in a zip archive and their bytes, from its central directory (stored or deflated entries, no zip64). */
function readZip(zip: Buffer): Map<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error("not a zip archive: no end of central directory");
  const count = zip.readUInt16LE(eocd + 10);
  let entry = zip.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(entry) !== 0x02014b50) throw new Error("corrupt zip central directory");
    const method = zip.readUInt16LE(entry + 10);
    const compressedSize = zip.readUInt32LE(entry + 20);
    const nameLength = zip.readUInt16LE(entry + 28);
    const extraLength = zip.readUInt16LE(entry + 30);
    const commentLength = zip.readUInt16LE(entry + 32);
    const localHeader = zip.readUInt32LE(entry + 42);
    const name = zip.toString("utf8", entry + 46, entry + 46 + nameLength);
    const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    entry += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

function resourcesOfType(template: CfTemplate, type: string): CfResource[] {
  return Object.values(template.Resources).filter((resource) => resource.Type === type);
}

function onlyResourceOfType(template: CfTemplate, type: string): Record<string, unknown> {
  const found = resourcesOfType(template, type);
  expect(found, type).toHaveLength(1);
  return found[0]?.Properties ?? {};
}

describe("serverless package: the root serverless.yml, offline", () => {
  let home: string;
  let result: CliResult;
  let template: CfTemplate;
  let zip: Map<string, Buffer>;
  let workerZip: Map<string, Buffer>;
  let service: ScratchService;

  beforeAll(async () => {
    assertPrerequisites();
    home = mkdtempSync(join(tmpdir(), "cl-sls-package-"));
    service = createScratchService({ offline: false });
    const out = join(home, "artifacts");
    // The root serverless.yml, run from its folder (the service directory), written to a temporary folder.
    result = await runServerless(["package", "--package", out], {
      cwd: service.root,
      env: serverlessEnv(home),
      timeoutMs: 90_000,
    });
    if (result.code !== 0)
      throw new Error(`serverless package failed (${result.code})\n${result.stdout}${result.stderr}`);
    template = JSON.parse(readFileSync(join(out, "cloudformation-template-update-stack.json"), "utf8")) as CfTemplate;
    zip = readZip(readFileSync(join(out, "commercelayer-webhook.zip")));
    workerZip = readZip(readFileSync(join(out, "commercelayer-webhook-worker.zip")));
  });

  afterAll(() => {
    for (const dir of [home, service?.root]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("succeeds without AWS credentials or a secret; the only warning is the schema's about nodejs22.x", () => {
    expect(result.code).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain("Service packaged");
    const warnings = result.stderr.match(/^Warning: .*$/gm) ?? [];
    expect(warnings).toEqual(["Warning: Invalid configuration encountered"]);
    expect(result.stderr).toMatch(/at 'provider\.runtime': must be equal to one of the allowed values/);
  });

  it("zips exactly each function's prebuilt bundle, byte for byte (no second build)", () => {
    expect([...zip.keys()]).toEqual([RECEIVING]);
    expect(zip.get(RECEIVING)?.equals(readFileSync(join(service.root, RECEIVING)))).toBe(true);
    expect([...workerZip.keys()]).toEqual([WORKER]);
    expect(workerZip.get(WORKER)?.equals(readFileSync(join(service.root, WORKER)))).toBe(true);
    // Built from the suites' own handlers, not the user's.
    for (const bundle of [zip.get(RECEIVING), workerZip.get(WORKER)])
      expect(bundle?.toString("utf8")).toContain(FIXTURE_LINE);
  });

  const fn = (name: string) => {
    const resource = template.Resources[name];
    expect(resource?.Type, name).toBe("AWS::Lambda::Function");
    return resource?.Properties ?? {};
  };
  const RECEIVER = "CommercelayerDashwebhookLambdaFunction";
  const WORKER_FN = "CommercelayerDashwebhookDashworkerLambdaFunction";
  const QUEUE = { "Fn::GetAtt": ["CommercelayerWebhookQueue", "Arn"] };

  it("deploys two Node.js 22 functions on arm64: the receiver (6 s timeout) and the worker (30 s)", () => {
    expect(resourcesOfType(template, "AWS::Lambda::Function")).toHaveLength(2);
    for (const [name, handler, timeout] of [
      [RECEIVER, "dist/aws-lambda/commercelayer-webhook.handler", 6],
      [WORKER_FN, "dist/aws-lambda/commercelayer-webhook-worker.handler", 30],
    ] as const) {
      const props = fn(name);
      expect(props.Runtime).toBe("nodejs22.x");
      expect(props.Handler).toBe(handler);
      expect(props.Architectures).toEqual(["arm64"]);
      expect(props.MemorySize).toBe(256);
      // Receiver: Commerce Layer waits 5 s, one more second to finish and log a late delivery. Worker: nobody waits.
      expect(props.Timeout).toBe(timeout);
    }
  });

  it("passes the secret from the deploying shell (unset: empty, fails closed), and the queue's URL to the receiver", () => {
    const secrets = { COMMERCELAYER_WEBHOOK_SECRET: "", COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: "" };
    expect(fn(RECEIVER).Environment).toEqual({
      Variables: { ...secrets, COMMERCELAYER_WEBHOOK_QUEUE_URL: { Ref: "CommercelayerWebhookQueue" } },
    });
    expect(fn(WORKER_FN).Environment).toEqual({ Variables: secrets });
  });

  it("routes POST /webhooks/commercelayer of an HTTP API to the receiver, with payload 2.0", () => {
    const route = onlyResourceOfType(template, "AWS::ApiGatewayV2::Route");
    expect(route.RouteKey).toBe("POST /webhooks/commercelayer");
    const integration = onlyResourceOfType(template, "AWS::ApiGatewayV2::Integration");
    expect(integration.IntegrationType).toBe("AWS_PROXY");
    expect(integration.PayloadFormatVersion).toBe("2.0");
    expect(integration.IntegrationUri).toEqual({ "Fn::GetAtt": [RECEIVER, "Arn"] });
    // API Gateway would give up after 30 s; the function stops long before.
    expect(integration.TimeoutInMillis).toBe(30_000);
    expect(template.Outputs).toHaveProperty("HttpApiUrl");
  });

  it("declares the queue (visibility 6 x the worker's timeout, 256 KiB) and its dead-letter queue (5 receives, 14 days)", () => {
    expect(resourcesOfType(template, "AWS::SQS::Queue")).toHaveLength(2);
    expect(template.Resources.CommercelayerWebhookQueue).toEqual({
      Type: "AWS::SQS::Queue",
      Properties: {
        VisibilityTimeout: 180,
        MaximumMessageSize: 262_144,
        MessageRetentionPeriod: 345_600,
        RedrivePolicy: {
          deadLetterTargetArn: { "Fn::GetAtt": ["CommercelayerWebhookDeadLetterQueue", "Arn"] },
          maxReceiveCount: 5,
        },
      },
    });
    expect(template.Resources.CommercelayerWebhookDeadLetterQueue).toEqual({
      Type: "AWS::SQS::Queue",
      Properties: { MessageRetentionPeriod: 1_209_600 },
    });
    expect(template.Outputs).toHaveProperty("CommercelayerWebhookDeadLetterQueueArn");
  });

  it("feeds the worker from the queue: batches of 10, partial batch failures reported", () => {
    const mapping = onlyResourceOfType(template, "AWS::Lambda::EventSourceMapping");
    expect(mapping).toEqual({
      BatchSize: 10,
      EventSourceArn: QUEUE,
      FunctionName: { "Fn::GetAtt": [WORKER_FN, "Arn"] },
      Enabled: true,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
  });

  it("gives each function its own role: the receiver may only send to the queue, the worker only take from it", () => {
    expect(resourcesOfType(template, "AWS::ApiGateway::RestApi")).toEqual([]);
    expect(resourcesOfType(template, "AWS::Lambda::Url")).toEqual([]);
    for (const group of resourcesOfType(template, "AWS::Logs::LogGroup"))
      expect(group.Properties?.RetentionInDays).toBe(14);
    // No shared default role: Serverless would add the event source's receive/delete rights to it, for both.
    expect(resourcesOfType(template, "AWS::IAM::Role")).toHaveLength(2);
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    type Policies = { PolicyDocument: { Statement: { Effect: string; Action: string[]; Resource: unknown }[] } }[];
    const statements = (role: string) => {
      const policies = (template.Resources[role]?.Properties?.Policies ?? []) as Policies;
      return policies.flatMap((policy) => policy.PolicyDocument.Statement);
    };
    expect(fn(RECEIVER).Role).toEqual({ "Fn::GetAtt": ["CommercelayerWebhookReceiverRole", "Arn"] });
    expect(fn(WORKER_FN).Role).toEqual({ "Fn::GetAtt": ["CommercelayerWebhookWorkerRole", "Arn"] });
    const logs = (group: string) => ({
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: { "Fn::GetAtt": [group, "Arn"] },
    });
    expect(statements("CommercelayerWebhookReceiverRole")).toEqual([
      logs("CommercelayerDashwebhookLogGroup"),
      { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: QUEUE },
    ]);
    expect(statements("CommercelayerWebhookWorkerRole")).toEqual([
      logs("CommercelayerDashwebhookDashworkerLogGroup"),
      {
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        Resource: QUEUE,
      },
    ]);
  });
});
