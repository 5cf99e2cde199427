// The built Netlify bundles: the v2 function called with real Request objects and a context, and the legacy (v1)
// function with the event Netlify builds, base64-encoded by Netlify's own content-type rules.
import { beforeAll, describe, expect, it } from "vitest";
import { useBundleEnvironment } from "../../support/bundle-env.ts";
import { importBundle } from "../../support/bundles.ts";
import { answerOf, type ContractRequest, contractCases } from "../../support/contract.ts";
import { signedDelivery } from "../../support/deliveries.ts";

type V2Handler = (request: Request, context: unknown) => Promise<Response>;
type LegacyHandler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; headers?: Record<string, string>; body: string }>;

const SITE = "https://cl-webhooks.netlify.app";
let v2: { default: V2Handler; config: { path: string } };
let legacy: { handler: LegacyHandler };
const { logs, setUp } = useBundleEnvironment();

beforeAll(async () => {
  v2 = await importBundle("dist/netlify/commercelayer-webhook.mjs");
  legacy = await importBundle("dist/netlify/commercelayer-webhook-legacy.mjs");
});

/** A v2 context as Netlify passes it (the handler does not need it, but it must accept it). */
const context = {
  requestId: "01HXYZ",
  ip: "203.0.113.7",
  site: { id: "site", name: "cl-webhooks", url: SITE },
  waitUntil: () => {},
  geo: {},
};

// Netlify passes these content types as text; everything else, and a missing Content-Type, as base64.
const TEXT_TYPES = [
  "application/json",
  "application/javascript",
  "application/x-www-form-urlencoded",
  "application/x-ndjson",
  "application/xml",
  "application/graphql",
  "application/csp-report",
];
function netlifyEncodesBase64(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return !(type.startsWith("text/") || type.endsWith("+json") || type.endsWith("+xml") || TEXT_TYPES.includes(type));
}

function legacyEvent(request: ContractRequest) {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const base64 = netlifyEncodesBase64(headers["content-type"]);
  return {
    path: "/.netlify/functions/commercelayer-webhook-legacy",
    httpMethod: request.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: {},
    multiValueQueryStringParameters: {},
    rawUrl: `${SITE}/.netlify/functions/commercelayer-webhook-legacy`,
    rawQuery: "",
    body: request.body.toString(base64 ? "base64" : "utf8"),
    isBase64Encoded: base64,
  };
}

describe("dist/netlify/commercelayer-webhook.mjs (v2)", () => {
  it("declares its path in the form Netlify reads statically", () => {
    expect(v2.config).toEqual({ path: "/webhooks/commercelayer" });
  });

  it.each(contractCases().map((c) => [c.name, c] as const))("%s", async (_name, contractCase) => {
    setUp(contractCase.env);
    const { method, headers, body } = contractCase.request;
    const request = new Request(`${SITE}/webhooks/commercelayer`, {
      method,
      headers,
      ...(method === "GET" ? {} : { body: new Uint8Array(body) }),
    });
    const response = await v2.default(request, context);
    expect(response.status).toBe(contractCase.status);
    expect(answerOf(await response.text())).toBe(contractCase.answer);
    if (contractCase.status === 405) expect(response.headers.get("allow")).toBe("POST");
    const line = logs.map((text) => JSON.parse(text)).find((entry) => entry.msg === "commercelayer webhook");
    expect(line).toMatchObject({ platform: "netlify", status: contractCase.status });
  });
});

describe("dist/netlify/commercelayer-webhook-legacy.mjs (v1, Lambda-compatible)", () => {
  it.each(contractCases().map((c) => [c.name, c] as const))("%s", async (_name, contractCase) => {
    setUp(contractCase.env);
    const result = await legacy.handler(legacyEvent(contractCase.request), {});
    expect(result.statusCode).toBe(contractCase.status);
    expect(answerOf(result.body)).toBe(contractCase.answer);
    const line = logs.map((text) => JSON.parse(text)).find((entry) => entry.msg === "commercelayer webhook");
    expect(line).toMatchObject({ platform: "netlify-legacy", status: contractCase.status });
  });

  it.each([
    ["application/json", false],
    ["application/vnd.api+json", false],
    ["text/plain", false],
    ["application/octet-stream", true],
    [undefined, true],
  ] as const)("content type %s arrives %s base64 and verifies", async (contentType, base64) => {
    setUp();
    const delivery = signedDelivery("orders.place");
    const { "content-type": _dropped, ...headers } = delivery.headers;
    const event = legacyEvent({
      method: "POST",
      headers: contentType ? { ...headers, "content-type": contentType } : headers,
      body: delivery.body,
    });
    expect(event.isBase64Encoded).toBe(base64);
    expect((await legacy.handler(event, {})).statusCode).toBe(200);
  });
});
