// The built Node external factory as (req, res) on a real node:http server on loopback.
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { externalHandlers } from "../../fixtures/external-handlers.ts";
import { useBundleEnvironment } from "../../support/bundle-env.ts";
import { checkExternalAnswer, externalBundleCases } from "../../support/external-bundle-cases.ts";
import { externalLine, importExternalFactory } from "../../support/external-bundles.ts";
import { EXPECTED_SUCCESS } from "../../support/external-expected.ts";
import { externalSecretEnv, signedExternalCall } from "../../support/external-requests.ts";
import { listenOnLoopback, post } from "../../support/http.ts";

type NodeHandler = (req: unknown, res: unknown) => Promise<void>;
type Create = (handlers: unknown, options?: Record<string, unknown>) => NodeHandler;

const { logs, setUp } = useBundleEnvironment();
let create: Create;
let servers: Server[] = [];

beforeAll(async () => {
  ({ createNodeExternalHandler: create } = await importExternalFactory<{ createNodeExternalHandler: Create }>("node"));
});
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  servers = [];
});

async function serve(options?: Record<string, unknown>): Promise<string> {
  const handler = create(externalHandlers, options);
  const { url, server } = await listenOnLoopback((req, res) => handler(req, res));
  servers.push(server);
  return url;
}

describe("dist/factories/node/commercelayer-external-factory.mjs on node:http", () => {
  it.each(externalBundleCases().map((c) => [c.name, c] as const))("%s", async (_name, testCase) => {
    setUp(testCase.env);
    const url = await serve();
    const { method, headers, body } = testCase.request;
    const answer = await post(`${url}/api/external/${testCase.kind}`, headers, body, method);
    checkExternalAnswer(testCase, answer.status, answer.body, expect);
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
    expect(externalLine(logs)).toMatchObject({ platform: "node", kind: testCase.kind, status: testCase.status });
  });

  it("options.kind serves one kind on any path", async () => {
    setUp(externalSecretEnv());
    const url = await serve({ kind: "shipping-costs" });
    const call = signedExternalCall("shipping-costs");
    const answer = await post(`${url}/anything`, call.headers, call.body);
    expect(JSON.parse(answer.body)).toEqual(EXPECTED_SUCCESS["shipping-costs"].body);
  });

  it("405 with Allow: POST for a GET", async () => {
    setUp(externalSecretEnv());
    const url = await serve();
    const answer = await post(`${url}/api/external/prices`, {}, Buffer.alloc(0), "GET");
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("POST");
  });
});
