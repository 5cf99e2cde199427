// `serverless package` on the root serverless.yml, exactly as a user runs it before `deploy`: no AWS credentials, no
// login, no COMMERCELAYER_WEBHOOK_SECRET. Checks the artifacts and the CloudFormation template it would deploy. Run in
// scratch copies of the service (createScratchService): the root serverless.yml as it is, next to bundles built from
// the suites' own handlers (test/fixtures/handlers.ts), so that nothing here depends on functions/handlers.ts.
// serverless.yml also takes the external-resource function from the file `npm run build` writes from
// functions/external.ts: packaged here from the fixture build (every kind: test/fixtures/external-handlers.ts), then
// from builds of a file implementing two kinds and of one implementing none, to show that exactly the implemented kinds
// are deployed (a route, a secret variable each) and that nothing of the external resources is deployed without one.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundles } from "../../../infra/build/build.ts";
import { EXTERNAL_KIND_NAMES, type ExternalKind } from "../../../shared/external/kinds.ts";
import { SOME_KINDS } from "../../fixtures/external-some-handlers.ts";
import { FIXTURE_LINE } from "../../fixtures/handlers.ts";
import { FIXTURE_HANDLERS } from "../../support/bundles.ts";
import {
  assertPrerequisites,
  type CliResult,
  createScratchService,
  EXTERNAL_BUNDLE,
  ROOT,
  runServerless,
  type ScratchService,
  serverlessEnv,
} from "./serverless-cli.ts";

const RECEIVING = "dist/aws-lambda/commercelayer-webhook.mjs";
const WORKER = "dist/aws-lambda/commercelayer-webhook-worker.mjs";
/** Written in the external fixture handlers' thrown message: the bundle is built from them, not functions/external.ts. */
const EXTERNAL_FIXTURE_MARK = "fixture handler threw for";

/** The functions' logical ids in the template, as Serverless names them (`-` spelled `Dash`). */
const RECEIVER = "CommercelayerDashwebhookLambdaFunction";
const WORKER_FN = "CommercelayerDashwebhookDashworkerLambdaFunction";
const EXTERNAL_FN = "CommercelayerDashexternalLambdaFunction";

/** What the provider gives every function: the body limit, which the external receiver reads too (unset: empty). */
const PROVIDER_ENVIRONMENT = { COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: "" };

interface CfResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string[] | string;
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

function functionOf(template: CfTemplate, name: string): Record<string, unknown> {
  const resource = template.Resources[name];
  expect(resource?.Type, name).toBe("AWS::Lambda::Function");
  return resource?.Properties ?? {};
}

/** The HTTP API integration that invokes a function (one per function, whatever its number of routes). */
function integrationOf(template: CfTemplate, fn: string): [string, Record<string, unknown>] {
  const found = Object.entries(template.Resources).filter(
    ([, resource]) =>
      resource.Type === "AWS::ApiGatewayV2::Integration" &&
      JSON.stringify(resource.Properties?.IntegrationUri) === JSON.stringify({ "Fn::GetAtt": [fn, "Arn"] }),
  );
  expect(
    found.map(([name]) => name),
    fn,
  ).toHaveLength(1);
  const [name, resource] = found[0] ?? ["", { Type: "" }];
  return [name, resource.Properties ?? {}];
}

/** Every HTTP API route key, sorted, under the function its integration invokes. */
function routesByFunction(template: CfTemplate): Record<string, string[]> {
  const routes: Record<string, string[]> = {};
  for (const route of resourcesOfType(template, "AWS::ApiGatewayV2::Route")) {
    const target = route.Properties?.Target as { "Fn::Join": [string, [string, { Ref: string }]] };
    const integration = template.Resources[target["Fn::Join"][1][1].Ref];
    const uri = integration?.Properties?.IntegrationUri as { "Fn::GetAtt": [string, string] };
    const fn = uri["Fn::GetAtt"][0];
    routes[fn] = [...(routes[fn] ?? []), route.Properties?.RouteKey as string].sort();
  }
  return routes;
}

/** The deployed route of each kind, written out here as the contract Commerce Layer's URLs are set to. */
const externalRoutes = (kinds: readonly ExternalKind[]) => kinds.map((kind) => `POST /external/${kind}`).sort();

type Statement = { Effect: string; Action: string[]; Resource: unknown };

/** The statements of a role resource's inline policies. */
function statementsOf(template: CfTemplate, role: string): Statement[] {
  const policies = (template.Resources[role]?.Properties?.Policies ?? []) as { PolicyDocument: { Statement: [] } }[];
  return policies.flatMap((policy) => policy.PolicyDocument.Statement as Statement[]);
}

interface Packaged {
  readonly result: CliResult;
  readonly template: CfTemplate;
  /** Each zip the package wrote, by file name, with the files it holds. */
  readonly zips: Map<string, Map<string, Buffer>>;
  readonly service: ScratchService;
  readonly home: string;
}

/**
 * `serverless package` of a scratch service with dist/aws-lambda from `build` (default: the suites' fixture build),
 * run from the service's folder with `shell` added to the CLI's clean environment, written to a temporary folder.
 */
async function packageService(options: { build?: string; shell?: Record<string, string> } = {}): Promise<Packaged> {
  const home = mkdtempSync(join(tmpdir(), "cl-sls-package-"));
  const service = createScratchService({ offline: false, build: options.build });
  const out = join(home, "artifacts");
  const result = await runServerless(["package", "--package", out], {
    cwd: service.root,
    env: serverlessEnv(home, options.shell),
    timeoutMs: 90_000,
  });
  if (result.code !== 0)
    throw new Error(`serverless package failed (${result.code})\n${result.stdout}${result.stderr}`);
  const template = JSON.parse(readFileSync(join(out, "cloudformation-template-update-stack.json"), "utf8"));
  const zips = new Map(
    readdirSync(out)
      .filter((file) => file.endsWith(".zip"))
      .map((file) => [file, readZip(readFileSync(join(out, file)))] as const),
  );
  return { result, template: template as CfTemplate, zips, service, home };
}

function removePackaged(packaged: Packaged | undefined): void {
  for (const dir of [packaged?.home, packaged?.service.root]) if (dir) rmSync(dir, { recursive: true, force: true });
}

/**
 * Every bundle built again, from the fixture webhook handlers and `externalHandlersFile`, into a folder of its own
 * inside the repository (the bundles resolve node_modules from there). The caller removes it.
 */
async function buildWithExternal(externalHandlersFile: string): Promise<string> {
  mkdirSync(join(ROOT, ".test-build"), { recursive: true });
  const outRoot = mkdtempSync(join(ROOT, ".test-build", "sls-external-"));
  await buildBundles({ declarations: false, handlersFile: FIXTURE_HANDLERS, externalHandlersFile, outRoot });
  return outRoot;
}

/** Two of the five external secrets set in the packaging shell; the other three are left unset. */
const SHELL_SECRETS = {
  COMMERCELAYER_TAX_CALCULATOR_SECRET: "tax-from-the-shell",
  COMMERCELAYER_PROMOTION_SECRET: "promotion-from-the-shell",
};

/** The fixture build, packaged once for the two describes below. */
let packaged: Packaged;

beforeAll(async () => {
  assertPrerequisites();
  packaged = await packageService({ shell: SHELL_SECRETS });
});

afterAll(() => removePackaged(packaged));

describe("serverless package: the root serverless.yml, offline (fixture build: webhooks and every external kind)", () => {
  // Read in the tests, once beforeAll has packaged.
  let result: CliResult;
  let template: CfTemplate;
  let service: ScratchService;
  const fn = (name: string) => functionOf(template, name);
  const QUEUE = { "Fn::GetAtt": ["CommercelayerWebhookQueue", "Arn"] };

  beforeAll(() => {
    ({ result, template, service } = packaged);
  });

  it("succeeds without AWS credentials or the webhook secret; the only warning is the schema's about nodejs22.x", () => {
    expect(result.code).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain("Service packaged");
    const warnings = result.stderr.match(/^Warning: .*$/gm) ?? [];
    expect(warnings).toEqual(["Warning: Invalid configuration encountered"]);
    expect(result.stderr).toMatch(/at 'provider\.runtime': must be equal to one of the allowed values/);
  });

  it("zips exactly each function's prebuilt bundle, byte for byte (no second build)", () => {
    const zipped = [
      ["commercelayer-webhook.zip", RECEIVING],
      ["commercelayer-webhook-worker.zip", WORKER],
      ["commercelayer-external.zip", EXTERNAL_BUNDLE],
    ] as const;
    expect([...packaged.zips.keys()].sort()).toEqual(zipped.map(([zip]) => zip).sort());
    for (const [zip, bundle] of zipped) {
      const files = packaged.zips.get(zip);
      expect([...(files?.keys() ?? [])], zip).toEqual([bundle]);
      expect(files?.get(bundle)?.equals(readFileSync(join(service.root, bundle))), zip).toBe(true);
    }
    // Built from the suites' own handlers, not the user's.
    for (const bundle of [RECEIVING, WORKER])
      expect(readFileSync(join(service.root, bundle), "utf8")).toContain(FIXTURE_LINE);
    expect(readFileSync(join(service.root, EXTERNAL_BUNDLE), "utf8")).toContain(EXTERNAL_FIXTURE_MARK);
  });

  it("deploys three Node.js 22 functions on arm64: the receiver and the external one (6 s), the worker (30 s)", () => {
    expect(resourcesOfType(template, "AWS::Lambda::Function")).toHaveLength(3);
    for (const [name, handler, timeout] of [
      [RECEIVER, "dist/aws-lambda/commercelayer-webhook.handler", 6],
      [WORKER_FN, "dist/aws-lambda/commercelayer-webhook-worker.handler", 30],
      // The provider's settings: Commerce Layer waits for an external resource about as long as for a webhook.
      [EXTERNAL_FN, "dist/aws-lambda/commercelayer-external.handler", 6],
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
    const secrets = {
      COMMERCELAYER_WEBHOOK_SECRET: "",
      COMMERCELAYER_WEBHOOK_TOPIC_SECRETS: "",
      COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: "",
    };
    // The external secrets set in the shell go to the external function only.
    expect(fn(RECEIVER).Environment).toEqual({
      Variables: { ...secrets, COMMERCELAYER_WEBHOOK_QUEUE_URL: { Ref: "CommercelayerWebhookQueue" } },
    });
    expect(fn(WORKER_FN).Environment).toEqual({ Variables: secrets });
  });

  it("routes POST /webhooks/commercelayer of an HTTP API to the receiver, with payload 2.0", () => {
    expect(routesByFunction(template)[RECEIVER]).toEqual(["POST /webhooks/commercelayer"]);
    const [, integration] = integrationOf(template, RECEIVER);
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

  it("gives each webhook function its own role: the receiver may only send to the queue, the worker only take from it", () => {
    expect(resourcesOfType(template, "AWS::ApiGateway::RestApi")).toEqual([]);
    expect(resourcesOfType(template, "AWS::Lambda::Url")).toEqual([]);
    for (const group of resourcesOfType(template, "AWS::Logs::LogGroup"))
      expect(group.Properties?.RetentionInDays).toBe(14);
    const statements = (role: string) => statementsOf(template, role);
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

describe("serverless package: the external-resource function of the fixture build (every kind)", () => {
  let template: CfTemplate;
  const fn = (name: string) => functionOf(template, name);

  beforeAll(() => {
    ({ template } = packaged);
  });

  it("routes exactly one HTTP API route per kind, POST /external/<kind>, to it, with payload 2.0", () => {
    expect(routesByFunction(template)).toEqual({
      [RECEIVER]: ["POST /webhooks/commercelayer"],
      [EXTERNAL_FN]: externalRoutes(EXTERNAL_KIND_NAMES),
    });
    expect(resourcesOfType(template, "AWS::ApiGatewayV2::Route")).toHaveLength(1 + EXTERNAL_KIND_NAMES.length);
    const [integrationName, integration] = integrationOf(template, EXTERNAL_FN);
    expect(integration).toMatchObject({ IntegrationType: "AWS_PROXY", PayloadFormatVersion: "2.0" });
    expect(integrationName).toBe("HttpApiIntegrationCommercelayerDashexternal");
    // API Gateway may invoke it: one permission for the function, whatever its number of routes.
    const permissions = resourcesOfType(template, "AWS::Lambda::Permission").filter((permission) =>
      JSON.stringify(permission.Properties?.FunctionName).includes(EXTERNAL_FN),
    );
    expect(permissions.map((permission) => permission.Properties?.Principal)).toEqual(["apigateway.amazonaws.com"]);
  });

  it("passes the five external secrets from the packaging shell (unset: empty), not the webhook secret or queue URL", () => {
    const environment = fn(EXTERNAL_FN).Environment as { Variables: Record<string, unknown> };
    expect(environment).toEqual({
      Variables: {
        ...PROVIDER_ENVIRONMENT,
        COMMERCELAYER_PAYMENT_GATEWAY_SECRET: "",
        COMMERCELAYER_TAX_CALCULATOR_SECRET: SHELL_SECRETS.COMMERCELAYER_TAX_CALCULATOR_SECRET,
        COMMERCELAYER_MARKET_SECRET: "",
        COMMERCELAYER_SHIPPING_METHOD_SECRET: "",
        COMMERCELAYER_PROMOTION_SECRET: SHELL_SECRETS.COMMERCELAYER_PROMOTION_SECRET,
      },
    });
    // Said on their own: the queue's URL is the receiving function's alone, the webhook secret the webhook functions'.
    expect(environment.Variables).not.toHaveProperty("COMMERCELAYER_WEBHOOK_QUEUE_URL");
    expect(environment.Variables).not.toHaveProperty("COMMERCELAYER_WEBHOOK_SECRET");
  });

  it("gives it a role of its own that may only write its logs: none of the worker's SQS rights", () => {
    // Without a role of its own it would get Serverless's shared default role, to which Serverless adds the SQS event
    // source's receive/delete rights (serverless.yml gives each webhook function its own role for that reason).
    const role = fn(EXTERNAL_FN).Role as { "Fn::GetAtt"?: [string, string] } | undefined;
    const roleName = role?.["Fn::GetAtt"]?.[0] ?? JSON.stringify(role);
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    expect(template.Resources[roleName]?.Type, roleName).toBe("AWS::IAM::Role");
    expect(statementsOf(template, roleName)).toEqual([
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: { "Fn::GetAtt": ["CommercelayerDashexternalLogGroup", "Arn"] },
      },
    ]);
    // Not the webhook functions' roles either.
    expect(roleName).not.toMatch(/^CommercelayerWebhook/);
  });
});

describe("serverless package: a build from a file implementing two kinds (test/fixtures/external-some-handlers.ts)", () => {
  let build: string | undefined;
  let some: Packaged | undefined;
  let template: CfTemplate;
  /** One of the kinds left out has its variable set in the shell: it must not be shipped all the same. */
  const shell = {
    COMMERCELAYER_MARKET_SECRET: "market-from-the-shell",
    COMMERCELAYER_PAYMENT_GATEWAY_SECRET: "gateway-from-the-shell",
  };

  beforeAll(async () => {
    build = await buildWithExternal(join(ROOT, "test/fixtures/external-some-handlers.ts"));
    some = await packageService({ build, shell });
    template = some.template;
  });

  afterAll(() => {
    removePackaged(some);
    if (build) rmSync(build, { recursive: true, force: true });
  });

  it("routes only those two kinds, POST /external/tax-calculator and /external/prices, to the external function", () => {
    expect(routesByFunction(template)).toEqual({
      [RECEIVER]: ["POST /webhooks/commercelayer"],
      [EXTERNAL_FN]: externalRoutes(SOME_KINDS),
    });
  });

  it("passes only their two secret variables (one set in the shell, one unset: empty)", () => {
    expect(functionOf(template, EXTERNAL_FN).Environment).toEqual({
      Variables: {
        ...PROVIDER_ENVIRONMENT,
        COMMERCELAYER_TAX_CALCULATOR_SECRET: "",
        COMMERCELAYER_MARKET_SECRET: shell.COMMERCELAYER_MARKET_SECRET,
      },
    });
  });

  it("zips only this build's external bundle", () => {
    const files = some?.zips.get("commercelayer-external.zip");
    expect([...(files?.keys() ?? [])]).toEqual([EXTERNAL_BUNDLE]);
    expect(files?.get(EXTERNAL_BUNDLE)?.equals(readFileSync(join(build ?? "", EXTERNAL_BUNDLE)))).toBe(true);
  });
});

describe("serverless package: a build from a file implementing no kind (test/fixtures/external-no-handlers.ts)", () => {
  let build: string | undefined;
  let none: Packaged | undefined;
  let template: CfTemplate;

  beforeAll(async () => {
    build = await buildWithExternal(join(ROOT, "test/fixtures/external-no-handlers.ts"));
    // The external secrets set in the shell: with no function to take them, they go nowhere.
    none = await packageService({ build, shell: SHELL_SECRETS });
    template = none.template;
  });

  afterAll(() => {
    removePackaged(none);
    if (build) rmSync(build, { recursive: true, force: true });
  });

  it("deploys no external function, no /external route, nothing of the external resources at all", () => {
    expect(resourcesOfType(template, "AWS::Lambda::Function")).toHaveLength(2);
    expect(template.Resources[EXTERNAL_FN]).toBeUndefined();
    expect(routesByFunction(template)).toEqual({ [RECEIVER]: ["POST /webhooks/commercelayer"] });
    expect([...(none?.zips.keys() ?? [])].sort()).toEqual([
      "commercelayer-webhook-worker.zip",
      "commercelayer-webhook.zip",
    ]);
    // Not a route, a log group, a secret variable or a description.
    expect(JSON.stringify(template)).not.toMatch(/external/i);
    expect(none?.result.stderr.match(/^Warning: .*$/gm) ?? []).toEqual(["Warning: Invalid configuration encountered"]);
  });

  it("leaves the webhook functions as they are: every resource and output is the fixture build's, unchanged", () => {
    // The artifacts' S3 folder is named after the packaging time; the zip in it is what must be the same.
    const comparable = (resource: CfResource | undefined) => {
      if (resource?.Properties?.Code === undefined) return resource;
      const code = resource.Properties.Code as { S3Key: string };
      return {
        ...resource,
        Properties: { ...resource.Properties, Code: { ...code, S3Key: code.S3Key.split("/").at(-1) } },
      };
    };
    const full = packaged.template;
    for (const [name, resource] of Object.entries(template.Resources))
      expect(comparable(resource), name).toEqual(comparable(full.Resources[name]));
    for (const [name, output] of Object.entries(template.Outputs)) expect(output, name).toEqual(full.Outputs[name]);
    // As before the external resources existed: two roles of its own, no default one.
    expect(resourcesOfType(template, "AWS::IAM::Role")).toHaveLength(2);
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });
});
