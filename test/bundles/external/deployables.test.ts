// The built external-resource deployables (dist/<platform>/commercelayer-external.mjs, built from the suites' own
// test/fixtures/external-handlers.ts), called as each platform calls them at the path its deployment routes to the
// kind: Lambda through API Gateway's HTTP API (payload 2.0) and REST (v1) events, Vercel's POST(request), Netlify's v2
// default export. Every case of the factory suites, answered by what is deployed.
import { describe, expect, it } from "vitest";
import { deployedExternalPath } from "../../../infra/build/external-deploy.ts";
import { type LambdaShapeName, lambdaEvent } from "../../../infra/drive/lambda-events.ts";
import { EXTERNAL_KIND_NAMES } from "../../../shared/external/kinds.ts";
import { useBundleEnvironment } from "../../support/bundle-env.ts";
import { importBundle } from "../../support/bundles.ts";
import { checkExternalAnswer, externalBundleCases } from "../../support/external-bundle-cases.ts";
import { externalLine } from "../../support/external-bundles.ts";

type WebHandler = (request: Request, context?: unknown) => Promise<Response>;
type LambdaHandler = (event: unknown, context?: unknown) => Promise<{ statusCode: number; body: string }>;

const { logs, setUp } = useBundleEnvironment();
const cases = externalBundleCases().map((testCase) => [testCase.name, testCase] as const);

describe("dist/aws-lambda/commercelayer-external.mjs", () => {
  // The HTTP API the deployment declares, and a REST API (whose path starts with the stage) for a user who adds one.
  describe.each([
    ["http-api-v2", ""],
    ["rest-v1", "/prod"],
  ] as const)("%s event", (shape: LambdaShapeName, stage) => {
    it.each(cases)("%s", async (_name, testCase) => {
      const { handler } = await importBundle<{ handler: LambdaHandler }>("dist/aws-lambda/commercelayer-external.mjs");
      setUp(testCase.env);
      const event = lambdaEvent(shape, testCase.request, false) as unknown as Record<string, unknown>;
      const path = `${stage}${deployedExternalPath("aws-lambda", testCase.kind)}`;
      if ("rawPath" in event) {
        event.rawPath = path;
        (event.requestContext as { http: { path: string } }).http.path = path;
      } else event.path = path;
      const result = await handler(event, { awsRequestId: "req-1", getRemainingTimeInMillis: () => 6000 });
      checkExternalAnswer(testCase, result.statusCode, result.body, expect);
      expect(externalLine(logs)).toMatchObject({ platform: "aws-lambda", kind: testCase.kind });
    });
  });
});

describe.each([
  ["dist/vercel/commercelayer-external.mjs", "POST", "vercel", "https://shop.vercel.app"],
  ["dist/netlify/commercelayer-external.mjs", "default", "netlify", "https://shop.netlify.app"],
] as const)("%s", (bundle, exported, platform, origin) => {
  it.each(cases)("%s", async (_name, testCase) => {
    const module = await importBundle<Record<string, WebHandler>>(bundle);
    setUp(testCase.env);
    const { method, headers, body } = testCase.request;
    const url = `${origin}${deployedExternalPath(platform, testCase.kind)}`;
    const response = await (module[exported] as WebHandler)(
      new Request(url, {
        method,
        headers,
        body: method === "GET" || method === "HEAD" ? undefined : new Uint8Array(body),
      }),
      { requestId: "01HXYZ", waitUntil: () => {} },
    );
    checkExternalAnswer(testCase, response.status, await response.text(), expect);
    expect(externalLine(logs)).toMatchObject({ platform, kind: testCase.kind, status: testCase.status });
  });
});

it("Netlify's function is routed the implemented kinds' paths only, written out in its config", async () => {
  const { config } = await importBundle<{ config: { path: string[] } }>("dist/netlify/commercelayer-external.mjs");
  // The fixture implements every kind.
  expect(config.path).toEqual(EXTERNAL_KIND_NAMES.map((kind) => deployedExternalPath("netlify", kind)));
});
