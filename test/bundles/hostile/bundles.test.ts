// The hostile battery, a sample per file, against the files people deploy (dist/<platform>/commercelayer-webhook*.mjs),
// built from the suites' own handlers (test/fixtures/handlers.ts): configured through the environment (secret, default
// 5 MiB limit), to show the shipped files behave as the factories do. No handler is counted directly here: a forged
// delivery must never get a 200 nor make a fixture handler log its line. Deferred topics are handed off as deployed
// (Vercel: waitUntil in the same process; Netlify: a POST to the background function, answered 202 here by a stubbed
// fetch so that nothing leaves the machine; AWS: no queue URL is set, so the hand-off fails with 500, as the contract
// allows for a genuine delivery whose handler failed).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { BUNDLES } from "../../../infra/build/bundles.ts";
import { LAMBDA_SHAPES } from "../../../infra/drive/lambda-events.ts";
import { FIXTURE_LINE } from "../../fixtures/handlers.ts";
import { importBundle } from "../../support/bundles.ts";
import { type BatteryOptions, captureConsole, printScores, runBattery, type Score } from "./battery.ts";
import { BATTERY_SECRET, generateCases } from "./cases.ts";
import {
  type EntryPoint,
  lambdaEntryPoint,
  netlifyLegacyEntryPoint,
  nodeEntryPoint,
  webEntryPoint,
} from "./entry-points.ts";

const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
const CASES = 300;
const LAMBDA_CASES_PER_SHAPE = 100;

const lines: string[] = [];
const isFixtureLine = (line: string) => line.includes(`"msg":"${FIXTURE_LINE}"`);
const battery: BatteryOptions = {
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  configure: (configured) => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", configured ? BATTERY_SECRET : "");
    vi.stubEnv("COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES", "");
  },
  handlerRuns: () => lines.filter(isFixtureLine).length,
  resetHandlerRuns: () => {
    lines.length = 0;
  },
  everyDeliveryHasAHandler: false,
  lines,
  ownLine: isFixtureLine,
};
const scores: Score[] = [];
const bundles = new Map<string, Record<string, unknown>>();

/** A deployable bundle by its source entry, wherever infra/build/bundles.ts writes it. */
function bundle(entry: string): Record<string, unknown> {
  const loaded = bundles.get(entry);
  if (loaded === undefined) throw new Error(`${entry} was not loaded`);
  return loaded;
}

/** Netlify's answer to the hand-off's POST to the background function: 202, the invocation queued. */
const backgroundFunction = async (_input: string | URL | Request, init?: RequestInit) => {
  if (init?.method !== "POST") throw new TypeError("the hand-off only POSTs");
  return new Response(null, { status: 202 });
};

beforeAll(async () => {
  // Before the imports: the Netlify bundles' hand-off takes the global fetch when the bundle loads.
  vi.stubGlobal("fetch", backgroundFunction);
  for (const spec of BUNDLES.filter((candidate) => !candidate.declarations))
    bundles.set(spec.entry, await importBundle(spec.outfile));
});
beforeEach(() => captureConsole(lines));
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  lines.length = 0;
});
afterAll(() => {
  vi.unstubAllGlobals();
  printScores("Hostile battery, deployable bundles (environment configuration, fixture handlers)", scores);
});

async function check(entryPoint: EntryPoint, seed: number, count = CASES): Promise<void> {
  const cases = generateCases({ seed, count, maxBodyBytes: DEFAULT_MAX_BODY_BYTES, base64Flag: entryPoint.base64Flag });
  const score = await runBattery(entryPoint, cases, battery);
  scores.push(score);
  expect(score.examples, score.examples.join("\n")).toEqual([]);
  expect(score).toMatchObject({ forgedAccepted: 0, uncaught: 0, leaks: 0, outsideContract: 0, mismatches: 0 });
  expect(score.forged).toBeGreaterThan(count / 3);
}

describe("hostile battery: deployable bundles", () => {
  it("dist/vercel/commercelayer-webhook.mjs POST", async () => {
    const { POST } = bundle("functions/vercel/commercelayer-webhook.ts");
    await check(webEntryPoint("vercel POST (bundle)", POST as never), 0xb0001);
  });

  it("dist/vercel/commercelayer-webhook-node.mjs over HTTP", async () => {
    const handler = bundle("functions/vercel/commercelayer-webhook-node.ts").default as never;
    const entryPoint = await nodeEntryPoint("vercel node (bundle, HTTP)", handler);
    try {
      await check(entryPoint, 0xb0002);
      expect(entryPoint.failures()).toBe(0);
    } finally {
      await entryPoint.close?.();
    }
  });

  it("dist/netlify/commercelayer-webhook.mjs (v2)", async () => {
    const handler = bundle("functions/netlify/commercelayer-webhook.ts").default as never;
    await check(webEntryPoint("netlify v2 (bundle)", handler, { requestId: "01HXYZ", waitUntil: () => {} }), 0xb0003);
  });

  it("dist/netlify/commercelayer-webhook-legacy.mjs (v1)", async () => {
    const handler = bundle("functions/netlify/commercelayer-webhook-legacy.ts").handler as never;
    await check(netlifyLegacyEntryPoint("netlify legacy (bundle)", handler), 0xb0004);
  });

  it.each(LAMBDA_SHAPES.map((shape, index) => [shape, index] as const))(
    "dist/aws-lambda/commercelayer-webhook.mjs, %s events",
    async (shape, index) => {
      const handler = bundle("functions/aws-lambda/commercelayer-webhook.ts").handler as never;
      await check(
        lambdaEntryPoint(`aws-lambda ${shape} (bundle)`, shape, handler),
        0xb0010 + index,
        LAMBDA_CASES_PER_SHAPE,
      );
    },
  );
});
