// The template's options, set in the handlers file, reach the deployed bundles: every bundle built from a handlers
// file with options (test/fixtures/handlers-with-options.ts), no entry file touched.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { buildBundles } from "../../infra/build/build.ts";
import { lambdaEvent } from "../../infra/drive/lambda-events.ts";
import type { OptionsFixtureRecord } from "../fixtures/handlers-with-options.ts";
import { FIXTURE_EXTERNAL_HANDLERS, ROOT } from "../support/bundles.ts";
import { signedDelivery, TEST_SECRET } from "../support/deliveries.ts";

mkdirSync(join(ROOT, ".test-build"), { recursive: true });
const outRoot = mkdtempSync(join(ROOT, ".test-build", "options-"));
const shared = globalThis as { optionsFixture?: OptionsFixtureRecord };
shared.optionsFixture ??= { runs: [], handedOff: [] };
const record = shared.optionsFixture;

type Web = (request: Request) => Promise<Response>;
type Lambda = (event: unknown) => Promise<{ statusCode: number; body: string }>;
let POST: Web;
let handler: Lambda;

beforeAll(async () => {
  await buildBundles({
    declarations: false,
    handlersFile: join(ROOT, "test/fixtures/handlers-with-options.ts"),
    externalHandlersFile: FIXTURE_EXTERNAL_HANDLERS,
    outRoot,
  });
  const load = async (path: string) =>
    (await import(pathToFileURL(join(outRoot, path)).href)) as Record<string, unknown>;
  POST = (await load("dist/vercel/commercelayer-webhook.mjs")).POST as Web;
  handler = (await load("dist/aws-lambda/commercelayer-webhook.mjs")).handler as Lambda;
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));
beforeEach(() => {
  record.runs.length = 0;
  record.handedOff.length = 0;
  vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", TEST_SECRET);
  vi.spyOn(console, "log").mockImplementation(() => {});
  return () => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  };
});

const outcomeOf = (body: string) => (JSON.parse(body) as { outcome?: string }).outcome;

async function viaVercel(delivery: ReturnType<typeof signedDelivery>): Promise<string | undefined> {
  const request = new Request("https://x.vercel.app/api/webhooks/commercelayer", {
    method: "POST",
    headers: delivery.headers,
    body: new Uint8Array(delivery.body),
  });
  return outcomeOf(await (await POST(request)).text());
}

async function viaLambda(delivery: ReturnType<typeof signedDelivery>): Promise<string | undefined> {
  const event = lambdaEvent("http-api-v2", { method: "POST", headers: delivery.headers, body: delivery.body }, false);
  return outcomeOf((await handler(event)).body);
}

describe("options in the handlers file", () => {
  it("deduplicate, for one platform: the Lambda bundle runs a re-delivery once, the Vercel bundle (none) twice", async () => {
    const delivery = signedDelivery("orders.place", { seed: 61 });
    expect([await viaLambda(delivery), await viaLambda(delivery)]).toEqual(["handled", "duplicate"]);
    expect(record.runs).toEqual(["orders.place"]);
    record.runs.length = 0;
    expect([await viaVercel(delivery), await viaVercel(delivery)]).toEqual(["handled", "handled"]);
    expect(record.runs).toEqual(["orders.place", "orders.place"]);
  });

  it("handOff.vercel replaces waitUntil: the deferred delivery goes to it, and nothing runs in the instance", async () => {
    expect(await viaVercel(signedDelivery("orders.approve", { seed: 62 }))).toBe("handled");
    expect(record.handedOff).toEqual(["orders.approve"]);
    expect(record.runs).toEqual([]);
  });
});
