// The hostile battery against the external-resource factories: the same generated cases and the same oracle as the
// webhook batteries (cases.ts), judged for the external side of the one pipeline (the topic header is never read).
// The kind served is the payment gateway's customer token, which takes any data.type, with a counting handler: any
// forged call that reaches it is seen. Web (Vercel POST), Lambda (HTTP API v2, REST v1, ALB), and Node over HTTP.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type BatteryOptions, captureConsole, printScores, runBattery, type Score } from "./battery.ts";
import { BATTERY_SECRET, generateCases } from "./cases.ts";
import { type EntryPoint, importFactory, lambdaEntryPoint, nodeEntryPoint, webEntryPoint } from "./entry-points.ts";

const MAX_BODY_BYTES = 128 * 1024;
const CASES = 1500;
const KIND = "payment-gateway/customer-token";

type Factory = (handlers: Record<string, () => unknown>, options: Record<string, unknown>) => never;

let runs = 0;
let configured = true;
const lines: string[] = [];
const handlers = {
  [KIND]: () => {
    runs++;
    return { customerToken: "cus_battery" };
  },
};
const options = {
  kind: KIND,
  secrets: () => (configured ? [BATTERY_SECRET] : []),
  maxBodyBytes: MAX_BODY_BYTES,
};
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
  side: "external",
};
const scores: Score[] = [];
const factories: Record<string, Record<string, Factory>> = {};

beforeAll(async () => {
  for (const platform of ["vercel", "aws-lambda", "node"] as const) {
    factories[platform] = await importFactory(platform, "external-factory");
  }
});
beforeEach(() => captureConsole(lines));
afterEach(() => {
  vi.restoreAllMocks();
  lines.length = 0;
});
afterAll(() => printScores("Hostile battery, external-resource factories with a counting handler", scores));

async function check(entryPoint: EntryPoint, seed: number): Promise<Score> {
  const cases = generateCases({ seed, count: CASES, maxBodyBytes: MAX_BODY_BYTES, base64Flag: entryPoint.base64Flag });
  const score = await runBattery(entryPoint, cases, battery);
  scores.push(score);
  expect(score.examples, score.examples.join("\n")).toEqual([]);
  expect(score).toMatchObject({ forgedAccepted: 0, uncaught: 0, leaks: 0, outsideContract: 0, mismatches: 0 });
  expect(score.forged).toBeGreaterThan(CASES / 2);
  expect(score.genuineHandled).toBeGreaterThan(20);
  return score;
}

const create = (platform: string, name: string) => factories[platform]?.[name]?.(handlers, options) as never;

describe("hostile battery: external-resource factories", () => {
  it("Vercel POST(request) (createVercelExternalHandler)", async () => {
    await check(webEntryPoint("vercel external POST", create("vercel", "createVercelExternalHandler")), 0xe5eed01);
  });

  it.each(["http-api-v2", "rest-v1", "alb-multi-value"] as const)(
    "Lambda %s (createLambdaExternalHandler)",
    async (shape) => {
      const handler = create("aws-lambda", "createLambdaExternalHandler");
      await check(lambdaEntryPoint(`lambda external ${shape}`, shape, handler), 0xe5eed02);
    },
  );

  it("Node (req, res) (createNodeExternalHandler) over HTTP on loopback", async () => {
    const entryPoint = await nodeEntryPoint("node external (HTTP)", create("node", "createNodeExternalHandler"));
    try {
      const score = await check(entryPoint, 0xe5eed03);
      score.uncaught += entryPoint.failures();
      expect(entryPoint.failures()).toBe(0);
    } finally {
      await entryPoint.close?.();
    }
  });
});
