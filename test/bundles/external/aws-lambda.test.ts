// The built Lambda external factory, called with every HTTP event shape Lambda delivers (API Gateway REST v1, HTTP
// API 1.0 and 2.0, Function URL, ALB single- and multi-value), base64 or not, the event's path the kind's.
import { beforeAll, describe, expect, it } from "vitest";
import { LAMBDA_SHAPES, type LambdaShapeName, lambdaEvent } from "../../../infra/drive/lambda-events.ts";
import { EXTERNAL_KIND_NAMES, type ExternalKind } from "../../../shared/external/kinds.ts";
import { externalHandlers } from "../../fixtures/external-handlers.ts";
import { useBundleEnvironment } from "../../support/bundle-env.ts";
import {
  checkExternalAnswer,
  type ExternalBundleCase,
  externalBundleCases,
} from "../../support/external-bundle-cases.ts";
import { externalLine, importExternalFactory } from "../../support/external-bundles.ts";
import { EXPECTED_SUCCESS } from "../../support/external-expected.ts";
import { externalSecretEnv, signedExternalCall } from "../../support/external-requests.ts";

interface LambdaResult {
  statusCode: number;
  body: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
}
type Handler = (event: unknown, context?: unknown) => Promise<LambdaResult>;
type Create = (handlers: unknown, options?: Record<string, unknown>) => Handler;

const { logs, setUp } = useBundleEnvironment();
let create: Create;
beforeAll(async () => {
  ({ createLambdaExternalHandler: create } = await importExternalFactory<{ createLambdaExternalHandler: Create }>(
    "aws-lambda",
  ));
});

/** The event for a case, its paths the kind's own (`/external/<kind>`), as a route per kind would give them. */
function eventOf(shape: LambdaShapeName, testCase: ExternalBundleCase, base64: boolean): unknown {
  const event = lambdaEvent(shape, testCase.request, base64) as unknown as Record<string, unknown>;
  const path = `/external/${testCase.kind}`;
  if ("rawPath" in event) {
    event.rawPath = path;
    (event.requestContext as { http: { path: string } }).http.path = path;
  } else event.path = path;
  return event;
}

// One function for every kind, routed by the event's path; and a function per kind (options.kind) on any path.
let routed: Handler | undefined;
const handlers = new Map<ExternalKind, Handler>();
const handlerFor = (kind?: ExternalKind) => {
  if (kind === undefined) {
    routed ??= create(externalHandlers);
    return routed;
  }
  const existing = handlers.get(kind);
  if (existing) return existing;
  const handler = create(externalHandlers, { kind });
  handlers.set(kind, handler);
  return handler;
};

describe.each(LAMBDA_SHAPES)("%s event", (shape) => {
  describe.each([false, true])("isBase64Encoded %s", (base64) => {
    it.each(externalBundleCases().map((c) => [c.name, c] as const))("%s", async (_name, testCase) => {
      setUp(testCase.env);
      const result = await handlerFor()(eventOf(shape, testCase, base64), {});
      checkExternalAnswer(testCase, result.statusCode, result.body, expect);
      const headers =
        result.headers ??
        Object.fromEntries(
          Object.entries(result.multiValueHeaders ?? {}).map(([name, value]) => [name, String(value[0])]),
        );
      expect(headers["content-type"]).toMatch(/^application\/json/);
      expect(externalLine(logs)).toMatchObject({
        platform: "aws-lambda",
        kind: testCase.kind,
        status: testCase.status,
      });
    });
  });
});

describe.each(LAMBDA_SHAPES)("%s event, a function per kind (options.kind)", (shape) => {
  it.each(EXTERNAL_KIND_NAMES)("%s on the webhook's path", async (kind) => {
    setUp(externalSecretEnv());
    const call = signedExternalCall(kind);
    const event = lambdaEvent(shape, { method: "POST", headers: call.headers, body: call.body }, false);
    const result = await handlerFor(kind)(event, {});
    expect({ status: result.statusCode, body: JSON.parse(result.body) }).toEqual(EXPECTED_SUCCESS[kind]);
  });

  it("a path naming no kind, without options.kind: 404 not_implemented", async () => {
    setUp(externalSecretEnv());
    const call = signedExternalCall("prices");
    const result = await handlerFor()(
      lambdaEvent(shape, { method: "POST", headers: call.headers, body: call.body }, false),
    );
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body).error.code).toBe("not_implemented");
  });
});

describe("not an HTTP event", () => {
  it("answers a rejection, never throws", async () => {
    setUp(externalSecretEnv());
    const result = await handlerFor("prices")({ Records: [] });
    expect(result.statusCode).toBe(400);
  });
});
