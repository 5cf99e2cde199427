// The built edge factory (dist/factories/edge/commercelayer-webhook-factory.mjs) in Node, with the suites' own edge
// handlers: what the file may contain (nothing a Web-standard runtime lacks), the whole contract table, and where its
// secrets come from. test/emulators/edge/ runs the same file in Vercel's edge runtime, workerd, Deno and Bun.
import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { edgeHandlers } from "../../fixtures/edge-handlers.ts";
import { useBundleEnvironment } from "../../support/bundle-env.ts";
import { fixtureBundlePath, importBundle } from "../../support/bundles.ts";
import { answerOf, contractCases } from "../../support/contract.ts";
import { signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";

const FACTORY = "dist/factories/edge/commercelayer-webhook-factory.mjs";
type EdgeHandler = (request: Request, context?: unknown) => Promise<Response>;
interface EdgeFactory {
  createEdgeWebhookHandler(handlers: unknown, options?: Record<string, unknown>): EdgeHandler;
  signPayload(body: Uint8Array | string, secret: string): Promise<string>;
  verifySignature(body: Uint8Array | string, signature: string, secrets: readonly string[]): Promise<boolean>;
}

let factory: EdgeFactory;
const { logs, setUp, deliveryLine } = useBundleEnvironment();
beforeAll(async () => {
  factory = await importBundle<EdgeFactory>(FACTORY);
});

const requestOf = ({ method, headers, body }: { method: string; headers: Record<string, string>; body: Buffer }) =>
  new Request("https://example.com/api/webhooks/commercelayer", {
    method,
    headers,
    ...(method === "GET" ? {} : { body: new Uint8Array(body) }),
  });

describe(`${FACTORY}: what it contains`, () => {
  const code = () => readFileSync(fixtureBundlePath(FACTORY), "utf8");

  it("imports nothing at all, Node's built-ins included", async () => {
    const result = await build({
      entryPoints: [fixtureBundlePath(FACTORY)],
      bundle: true,
      write: false,
      format: "esm",
      metafile: true,
      external: ["*"],
      logLevel: "silent",
    });
    expect(Object.values(result.metafile.inputs).flatMap((input) => input.imports)).toEqual([]);
  });

  it("needs no Buffer, no require and no process (read only where it exists)", () => {
    const source = code().replace(/\/\/.*$/gm, "");
    expect(source).not.toMatch(/\bBuffer\b/);
    expect(source).not.toMatch(/\brequire\(/);
    expect(source.match(/[\w.?]*\bprocess\b[\w.?]*/g)).toEqual(["globalThis.process?.env?."]);
  });
});

describe(`${FACTORY}: the contract`, () => {
  it.each(contractCases().map((c) => [c.name, c] as const))("%s", async (_name, contractCase) => {
    setUp(contractCase.env);
    const handler = factory.createEdgeWebhookHandler(edgeHandlers);
    const response = await handler(requestOf(contractCase.request));
    expect(response.status).toBe(contractCase.status);
    expect(answerOf(await response.text())).toBe(contractCase.answer);
    expect(deliveryLine()).toMatchObject({ platform: "edge", status: contractCase.status });
    if (contractCase.answer === "handled") {
      const run = logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === "fixture handler");
      const expected = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(contractCase.request.body)));
      expect(run.body).toBe(Buffer.from(expected).toString("hex"));
    }
  });
});

describe(`${FACTORY}: secrets`, () => {
  const place = signedDelivery("orders.place");

  it("from a function of the request's context, read at each request (a Cloudflare env binding)", async () => {
    setUp({ COMMERCELAYER_WEBHOOK_SECRET: "" });
    const handler = factory.createEdgeWebhookHandler(edgeHandlers, {
      secrets: (_request: Request, env: { SECRET?: string }) => env.SECRET,
    });
    expect((await handler(requestOf({ method: "POST", ...place }), { SECRET: `old, ${TEST_SECRET}` })).status).toBe(
      200,
    );
    expect((await handler(requestOf({ method: "POST", ...place }), { SECRET: "rotated-away" })).status).toBe(401);
    const none = await handler(requestOf({ method: "POST", ...place }), {});
    expect(none.status).toBe(500);
    expect(JSON.parse(logs.at(-1) ?? "{}")).toMatchObject({ reason: "no_secret_configured" });
  });

  it("secrets bound to topics from a function of the request's context, and from the options as a string", async () => {
    setUp({ COMMERCELAYER_WEBHOOK_SECRET: "" });
    const handler = factory.createEdgeWebhookHandler(edgeHandlers, {
      topicSecrets: (_request: Request, env: { BOUND?: string }) => env.BOUND,
    });
    const bound = { BOUND: `orders.cancel=other,orders.place=${TEST_SECRET}` };
    expect((await handler(requestOf({ method: "POST", ...place }), bound)).status).toBe(200);
    const swapped = { ...place.headers, "x-commercelayer-topic": "orders.cancel" };
    const refused = await handler(requestOf({ method: "POST", body: place.body, headers: swapped }), bound);
    expect(refused.status).toBe(401);
    expect(JSON.parse(await refused.text())).toEqual({ error: "signed_for_another_topic" });
    const unbound = await handler(requestOf({ method: "POST", ...place }), { BOUND: "orders.cancel=other" });
    expect(JSON.parse(await unbound.text())).toEqual({ error: "unbound_topic" });
    const fixed = factory.createEdgeWebhookHandler(edgeHandlers, { topicSecrets: `orders.place=${TEST_SECRET}` });
    expect((await fixed(requestOf({ method: "POST", ...place }))).status).toBe(200);
  });

  it("from the options as a list or a comma-separated string, over process.env", async () => {
    setUp({ COMMERCELAYER_WEBHOOK_SECRET: "not-this-one" });
    for (const secrets of [[TEST_SECRET], `a,${TEST_SECRET}`]) {
      const handler = factory.createEdgeWebhookHandler(edgeHandlers, { secrets });
      expect((await handler(requestOf({ method: "POST", ...place }))).status).toBe(200);
    }
  });

  it("signs and verifies with Web Crypto, as Commerce Layer signs", async () => {
    expect(await factory.signPayload(place.body, TEST_SECRET)).toBe(place.headers["x-commercelayer-signature"]);
    expect(await factory.verifySignature(place.body, await factory.signPayload(place.body, "x"), ["y", "x"])).toBe(
      true,
    );
  });

  it("refuses a deferred handler at creation, naming the topic (the edge form has no queue of its own)", async () => {
    const { deferred } = await import("../../../shared/webhooks/deferred.ts");
    expect(() => factory.createEdgeWebhookHandler({ "orders.approve": deferred(() => {}) })).toThrow(/orders\.approve/);
  });
});
