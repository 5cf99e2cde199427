// The hostile battery against receivers built from the factory bundles (commercelayer-webhook*-factory.mjs)
// with a counting `*` handler, so that any forged delivery reaching a handler is seen. Web entry points (Vercel POST,
// Netlify v2), the legacy Netlify event, and the Node `(req, res)` flavour on a real HTTP server on loopback.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type BatteryOptions, captureConsole, printScores, runBattery, type Score } from "./battery.ts";
import { BATTERY_SECRET, generateCases } from "./cases.ts";
import {
  type EntryPoint,
  importFactory,
  netlifyLegacyEntryPoint,
  nodeEntryPoint,
  webEntryPoint,
} from "./entry-points.ts";

const MAX_BODY_BYTES = 128 * 1024;
const CASES = 2500;
const NODE_CASES = 2000;

type Factory = (handlers: Record<string, () => void>, options: Record<string, unknown>) => never;

let runs = 0;
let configured = true;
const lines: string[] = [];
const handlers = { "*": () => void runs++ };
const receiverOptions = { secrets: () => (configured ? [BATTERY_SECRET] : []), maxBodyBytes: MAX_BODY_BYTES };
const battery: BatteryOptions = {
  maxBodyBytes: MAX_BODY_BYTES,
  configure: (value) => {
    configured = value;
  },
  handlerRuns: () => runs,
  resetHandlerRuns: () => {
    runs = 0;
  },
  everyDeliveryHasAHandler: true,
  lines,
};
const scores: Score[] = [];
let vercel: Record<string, Factory>;
let netlify: Record<string, Factory>;
let netlifyLegacy: Record<string, Factory>;
let node: Record<string, Factory>;

beforeAll(async () => {
  vercel = await importFactory("vercel");
  netlify = await importFactory("netlify");
  netlifyLegacy = await importFactory("netlify", "legacy-factory");
  node = await importFactory("node");
});
beforeEach(() => captureConsole(lines));
afterEach(() => {
  vi.restoreAllMocks();
  lines.length = 0;
});
afterAll(() => printScores("Hostile battery, factory bundles with a counting handler", scores));

async function check(entryPoint: EntryPoint, seed: number, count = CASES): Promise<Score> {
  const cases = generateCases({ seed, count, maxBodyBytes: MAX_BODY_BYTES, base64Flag: entryPoint.base64Flag });
  const score = await runBattery(entryPoint, cases, battery);
  scores.push(score);
  expect(score.examples, score.examples.join("\n")).toEqual([]);
  expect(score).toMatchObject({ forgedAccepted: 0, uncaught: 0, leaks: 0, outsideContract: 0, mismatches: 0 });
  expect(score.forged).toBeGreaterThan(count / 2);
  expect(score.genuineHandled).toBeGreaterThan(20);
  expect(score.replayOtherResourceRefused).toBe(score.replayOtherResource);
  return score;
}

describe("hostile battery: factory bundles", () => {
  it("Vercel POST(request) (createVercelWebhookHandler)", async () => {
    await check(
      webEntryPoint("vercel POST", vercel.createVercelWebhookHandler?.(handlers, receiverOptions) as never),
      0x5eed01,
    );
  });

  it("Netlify v2 (createNetlifyWebhookHandler)", async () => {
    const context = { requestId: "01HXYZ", site: { name: "cl" }, waitUntil: () => {} };
    const handler = netlify.createNetlifyWebhookHandler?.(handlers, receiverOptions) as never;
    await check(webEntryPoint("netlify v2", handler, context), 0x5eed02);
  });

  it("Netlify legacy v1 event (createNetlifyLegacyWebhookHandler)", async () => {
    const handler = netlifyLegacy.createNetlifyLegacyWebhookHandler?.(handlers, receiverOptions) as never;
    await check(netlifyLegacyEntryPoint("netlify legacy", handler), 0x5eed03);
  });

  it("Vercel / Next.js Node flavour (createNodeWebhookHandler) over HTTP on loopback", async () => {
    const entryPoint = await nodeEntryPoint(
      "vercel node (HTTP)",
      node.createNodeWebhookHandler?.(handlers, receiverOptions) as never,
    );
    try {
      const score = await check(entryPoint, 0x5eed04, NODE_CASES);
      score.uncaught += entryPoint.failures();
      expect(entryPoint.failures()).toBe(0);
    } finally {
      await entryPoint.close?.();
    }
  });
});
