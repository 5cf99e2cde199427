// The built Web-shaped external factories, called with real Request objects in Node: Vercel's POST(request),
// Netlify's v2 function (request, context) and the edge factory (Web Crypto), each routing by the URL's last segments.
import { beforeAll, describe, expect, it } from "vitest";
import { externalHandlers } from "../../fixtures/external-handlers.ts";
import { useBundleEnvironment } from "../../support/bundle-env.ts";
import { checkExternalAnswer, externalBundleCases } from "../../support/external-bundle-cases.ts";
import { externalLine, importExternalFactory } from "../../support/external-bundles.ts";
import { EXPECTED_SUCCESS } from "../../support/external-expected.ts";
import { externalSecretEnv, signedExternalCall } from "../../support/external-requests.ts";

type WebHandler = (request: Request, context?: unknown) => Promise<Response>;
type Create = (handlers: unknown, options?: Record<string, unknown>) => WebHandler;

const { logs, setUp } = useBundleEnvironment();
const netlifyContext = {
  requestId: "01HXYZ",
  ip: "203.0.113.7",
  site: { id: "s", name: "n", url: "" },
  waitUntil: () => {},
  geo: {},
};

const PLATFORMS = [
  { platform: "vercel", create: "createVercelExternalHandler", origin: "https://shop.vercel.app/api/external" },
  { platform: "netlify", create: "createNetlifyExternalHandler", origin: "https://shop.netlify.app/external" },
  { platform: "edge", create: "createEdgeExternalHandler", origin: "https://edge.example.com/cl" },
] as const;

describe.each(PLATFORMS)("$platform external factory", ({ platform, create, origin }) => {
  let handler: WebHandler;
  beforeAll(async () => {
    const factory = await importExternalFactory<Record<string, Create>>(platform);
    handler = (factory[create] as Create)(externalHandlers);
  });

  it.each(externalBundleCases().map((c) => [c.name, c] as const))("%s", async (_name, testCase) => {
    setUp(testCase.env);
    const { method, headers, body } = testCase.request;
    const sent = method === "GET" || method === "HEAD" ? undefined : new Uint8Array(body);
    const request = new Request(`${origin}/${testCase.kind}`, { method, headers, body: sent });
    const response = await handler(request, netlifyContext);
    checkExternalAnswer(testCase, response.status, await response.text(), expect);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(externalLine(logs)).toMatchObject({ platform, kind: testCase.kind, status: testCase.status });
  });

  it("405 with Allow: POST for a GET", async () => {
    setUp(externalSecretEnv());
    const response = await handler(new Request(`${origin}/prices`), netlifyContext);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("404 not_implemented on a path naming no kind", async () => {
    setUp(externalSecretEnv());
    const call = signedExternalCall("prices");
    const response = await handler(
      new Request(`${origin}/nothing`, { method: "POST", headers: call.headers, body: new Uint8Array(call.body) }),
    );
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("not_implemented");
  });

  it("options.kind serves one kind whatever the path", async () => {
    setUp(externalSecretEnv());
    const factory = await importExternalFactory<Record<string, Create>>(platform);
    const single = (factory[create] as Create)(externalHandlers, { kind: "prices" });
    const call = signedExternalCall("prices");
    const response = await single(
      new Request(`${origin}/whatever`, { method: "POST", headers: call.headers, body: new Uint8Array(call.body) }),
    );
    expect(await response.json()).toEqual(EXPECTED_SUCCESS.prices.body);
  });
});
