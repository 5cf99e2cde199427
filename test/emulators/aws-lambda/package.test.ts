// `serverless package` on the root serverless.yml, exactly as a user runs it before `deploy`: no AWS credentials, no
// login, no COMMERCELAYER_WEBHOOK_SECRET. Checks the artifact and the CloudFormation template it would deploy.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertPrerequisites, BUNDLE, type CliResult, ROOT, runServerless, serverlessEnv } from "./serverless-cli.ts";

interface CfResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
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

  beforeAll(async () => {
    assertPrerequisites();
    home = mkdtempSync(join(tmpdir(), "cl-sls-package-"));
    const out = join(home, "artifacts");
    // Root serverless.yml, run from the root (the service directory), written to a temporary folder.
    result = await runServerless(["package", "--package", out], {
      cwd: ROOT,
      env: serverlessEnv(home),
      timeoutMs: 90_000,
    });
    if (result.code !== 0)
      throw new Error(`serverless package failed (${result.code})\n${result.stdout}${result.stderr}`);
    template = JSON.parse(readFileSync(join(out, "cloudformation-template-update-stack.json"), "utf8")) as CfTemplate;
    zip = readZip(readFileSync(join(out, "commercelayer-webhook.zip")));
  });

  afterAll(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("succeeds without AWS credentials or a secret; the only warning is the schema's about nodejs22.x", () => {
    expect(result.code).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain("Service packaged");
    const warnings = result.stderr.match(/^Warning: .*$/gm) ?? [];
    expect(warnings).toEqual(["Warning: Invalid configuration encountered"]);
    expect(result.stderr).toMatch(/at 'provider\.runtime': must be equal to one of the allowed values/);
  });

  it("zips exactly the prebuilt bundle, byte for byte (no second build)", () => {
    expect([...zip.keys()]).toEqual(["dist/aws-lambda/commercelayer-webhook.mjs"]);
    expect(zip.get("dist/aws-lambda/commercelayer-webhook.mjs")?.equals(readFileSync(BUNDLE))).toBe(true);
  });

  it("deploys one Node.js 22 function on arm64 with the bundle's handler and a 6 s timeout", () => {
    const fn = onlyResourceOfType(template, "AWS::Lambda::Function");
    expect(fn.Runtime).toBe("nodejs22.x");
    expect(fn.Handler).toBe("dist/aws-lambda/commercelayer-webhook.handler");
    expect(fn.Architectures).toEqual(["arm64"]);
    expect(fn.MemorySize).toBe(256);
    // Commerce Layer waits 5 s; the function gets one more second to finish and log a late delivery.
    expect(fn.Timeout).toBe(6);
  });

  it("passes the secret from the deploying shell: unset, it deploys empty and the function fails closed", () => {
    const fn = onlyResourceOfType(template, "AWS::Lambda::Function");
    expect(fn.Environment).toEqual({
      Variables: { COMMERCELAYER_WEBHOOK_SECRET: "", COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: "" },
    });
  });

  it("routes POST /webhooks/commercelayer of an HTTP API to it, with payload 2.0", () => {
    const route = onlyResourceOfType(template, "AWS::ApiGatewayV2::Route");
    expect(route.RouteKey).toBe("POST /webhooks/commercelayer");
    const integration = onlyResourceOfType(template, "AWS::ApiGatewayV2::Integration");
    expect(integration.IntegrationType).toBe("AWS_PROXY");
    expect(integration.PayloadFormatVersion).toBe("2.0");
    // API Gateway would give up after 30 s; the function stops long before.
    expect(integration.TimeoutInMillis).toBe(30_000);
    expect(template.Outputs).toHaveProperty("HttpApiUrl");
  });

  it("creates nothing the function does not need: no REST API, no Function URL, logging-only permissions", () => {
    expect(resourcesOfType(template, "AWS::ApiGateway::RestApi")).toEqual([]);
    expect(resourcesOfType(template, "AWS::Lambda::Url")).toEqual([]);
    expect(onlyResourceOfType(template, "AWS::Logs::LogGroup").RetentionInDays).toBe(14);
    const role = onlyResourceOfType(template, "AWS::IAM::Role") as {
      Policies: { PolicyDocument: { Statement: { Action: string[] }[] } }[];
    };
    const actions = role.Policies.flatMap((policy) => policy.PolicyDocument.Statement.flatMap((s) => s.Action));
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).toMatch(/^logs:/);
  });
});
