// The built Netlify legacy (v1) external factory, with the event Netlify builds: `rawUrl` names the kind.
import { beforeAll, describe, expect, it } from "vitest";
import { externalHandlers } from "../../fixtures/external-handlers.ts";
import { useBundleEnvironment } from "../../support/bundle-env.ts";
import {
  checkExternalAnswer,
  type ExternalBundleCase,
  externalBundleCases,
} from "../../support/external-bundle-cases.ts";
import { externalLine, importExternalFactory } from "../../support/external-bundles.ts";

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;
type Create = (handlers: unknown, options?: Record<string, unknown>) => Handler;

const SITE = "https://shop.netlify.app";
const { logs, setUp } = useBundleEnvironment();
let handler: Handler;
beforeAll(async () => {
  const factory = await importExternalFactory<{ createNetlifyLegacyExternalHandler: Create }>("netlify");
  handler = factory.createNetlifyLegacyExternalHandler(externalHandlers);
});

function legacyEvent(testCase: ExternalBundleCase) {
  const path = `/.netlify/functions/external/${testCase.kind}`;
  const { headers, body, method } = testCase.request;
  return {
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: {},
    multiValueQueryStringParameters: {},
    rawUrl: `${SITE}${path}`,
    rawQuery: "",
    // application/json arrives as text.
    body: body.toString("utf8"),
    isBase64Encoded: false,
  };
}

describe("dist/factories/netlify/commercelayer-external-factory.mjs: createNetlifyLegacyExternalHandler", () => {
  it.each(externalBundleCases().map((c) => [c.name, c] as const))("%s", async (_name, testCase) => {
    setUp(testCase.env);
    const result = await handler(legacyEvent(testCase), {});
    checkExternalAnswer(testCase, result.statusCode, result.body, expect);
    expect(externalLine(logs)).toMatchObject({
      platform: "netlify-legacy",
      kind: testCase.kind,
      status: testCase.status,
    });
  });
});
