// The external-resource function of the root serverless.yml behind serverless-offline (Serverless v3), over real HTTP:
// the function and the HTTP API routes (payload 2.0) `npm run build` wrote into
// dist/aws-lambda/commercelayer-external.serverless.json, built here from the suites' own handlers for every kind
// (test/fixtures/external-handlers.ts) into a scratch copy of the service (createScratchService). Each call of the
// shared table (externalEmulatorCases) is POSTed to the kind's deployed path, /external/<kind>, and must get its exact
// answer and its one log line. A path that names no kind must never reach the function: API Gateway (here the
// emulator's router) answers it, as no route was deployed for it.
// Its own emulator start: the webhook suite (offline.test.ts) runs a server with another environment (a queue, the
// webhook secret), and one start costs a few seconds.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXTERNAL_KIND_NAMES } from "../../../shared/external/kinds.ts";
import {
  checkExternalAnswer,
  type ExternalBundleCase,
  emulatorEnv,
  externalEmulatorCases,
} from "../../support/external-bundle-cases.ts";
import { EXTERNAL_SECRETS } from "../../support/external-requests.ts";
import { waitForJsonLine } from "../../support/log-lines.ts";
import {
  assertPrerequisites,
  createScratchService,
  type OfflineServer,
  type ScratchService,
  send,
  startOffline,
} from "./serverless-cli.ts";

/** Small enough for a cheap oversize case, above every document of the table (a few KB). */
const MAX_BODY_BYTES = 16 * 1024;

const CASES = externalEmulatorCases(MAX_BODY_BYTES);

/** Where serverless.yml routes a kind: the HTTP API path the build wrote, written out here as the contract. */
const deployedPath = (testCase: ExternalBundleCase) => `/external/${testCase.kind}`;

let server: OfflineServer;
let home: string;
let service: ScratchService;

beforeAll(async () => {
  assertPrerequisites();
  home = mkdtempSync(join(tmpdir(), "cl-sls-external-"));
  service = createScratchService({ offline: true });
  // What a deployed external function has: each resource's secret, and the body limit it shares with the webhooks.
  server = await startOffline({
    cwd: service.offlineDir,
    home,
    env: emulatorEnv(MAX_BODY_BYTES),
    readyTimeoutMs: 60_000,
  });
  console.log(`serverless offline ready in ${server.startMs} ms`);
});

afterAll(async () => {
  await server?.stop();
  for (const dir of [home, service?.root]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What the receiver logs for a case: its own outcome names (shared/core/log.ts). */
function expectedOutcome(testCase: ExternalBundleCase): string {
  if (testCase.body !== undefined)
    return (testCase.body as { success?: unknown }).success === true ? "answered" : "refused";
  return testCase.errorCode === "handler_failed" ? "failed" : "rejected";
}

/** The function's line for one call: the first `commercelayer external` line printed on stdout after `since`. */
function callLine(since: number): Promise<Record<string, unknown>> {
  return waitForJsonLine(
    () => server.stdout().slice(since),
    (line) => line.msg === "commercelayer external",
    5_000,
  );
}

describe("serverless-offline, the root serverless.yml's external-resource function: POST /external/<kind>", () => {
  it("the table has cases for every kind, so each route the build wrote is called below", () => {
    expect([...new Set(CASES.map((testCase) => testCase.kind))].sort()).toEqual([...EXTERNAL_KIND_NAMES].sort());
  });

  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))("%s", async (_name, testCase) => {
    const since = server.stdout().length;
    const answer = await send(`${server.baseUrl}${deployedPath(testCase)}`, {
      method: testCase.request.method,
      headers: Object.entries(testCase.request.headers),
      body: testCase.request.body,
    });
    checkExternalAnswer(testCase, answer.status, answer.text, (value) => expect(value, answer.text));
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
    const line = await callLine(since);
    expect(line).toMatchObject({
      platform: "aws-lambda",
      kind: testCase.kind,
      status: testCase.status,
      outcome: expectedOutcome(testCase),
    });
    if (testCase.errorCode !== undefined) expect(line.reason).toBe(testCase.errorCode);
    expect(typeof line.ms).toBe("number");
    const printed = `${server.stdout().slice(since)}${server.stderr()}`;
    for (const secret of Object.values(EXTERNAL_SECRETS)) expect(printed).not.toContain(secret);
    const signature = testCase.request.headers["x-commercelayer-signature"];
    if (signature !== undefined) expect(printed).not.toContain(signature);
  });
});

describe("serverless-offline: a path of no kind has no route, so it never reaches the external function", () => {
  it.each([
    ["the bare base", "POST", "/external"],
    ["an unknown kind", "POST", "/external/gift-cards"],
    ["the payment gateway without its call", "POST", "/external/payment-gateway"],
    ["a kind below another base (Vercel's)", "POST", "/api/external/tax-calculator"],
    ["a kind with a suffix", "POST", "/external/tax-calculator/extra"],
    // Only POST is routed, as for the webhook.
    ["a kind's path with GET", "GET", "/external/tax-calculator"],
  ])("%s (%s %s): the emulator's 404, no function log line", async (_name, method, path) => {
    const since = server.stdout().length;
    const testCase = CASES.find((candidate) => candidate.kind === "tax-calculator");
    if (testCase === undefined) throw new Error("the table has no tax-calculator case");
    const signed = { headers: Object.entries(testCase.request.headers), body: testCase.request.body };
    const answer = await send(`${server.baseUrl}${path}`, { method, ...signed });
    expect(answer.status).toBe(404);
    // serverless-offline's own answer (AWS: 404 {"message":"Not Found"}), not the receiver's not_implemented document.
    const notFound = JSON.parse(answer.text) as { error?: unknown; currentRoute?: unknown; existingRoutes?: string[] };
    expect(notFound).toMatchObject({ error: "Serverless-offline: route not found.", statusCode: 404 });
    expect(notFound.currentRoute).toBe(`${method.toLowerCase()} - ${path}`);
    // The routes it lists are those of the build: one per kind under /external, nothing else there.
    expect(notFound.existingRoutes?.filter((route) => route.includes("/external")).sort()).toEqual(
      EXTERNAL_KIND_NAMES.map((kind) => `post - /external/${kind}`).sort(),
    );
    // Then a call the function serves. Its line comes through the same pipe after any line the call above could have
    // caused, so finding its line alone proves that call printed none.
    const known = await send(`${server.baseUrl}/external/tax-calculator`, signed);
    expect(known.status).toBe(testCase.status);
    await callLine(since);
    const lines = server
      .stdout()
      .slice(since)
      .split("\n")
      .filter((line) => line.includes('"msg":"commercelayer external"'));
    expect(lines.map((line) => (JSON.parse(line) as { kind?: unknown }).kind)).toEqual(["tax-calculator"]);
  });
});
