// The hostile battery against the Lambda factory (dist/factories/aws-lambda/commercelayer-webhook-factory.mjs) with a counting `*`
// handler, once per HTTP event shape Lambda delivers: REST v1, HTTP API 1.0 and 2.0, Function URL, ALB (single- and
// multi-value headers), bodies base64-encoded or not, and `isBase64Encoded` flags that lie.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { LAMBDA_SHAPES } from "../../../infra/drive/lambda-events.ts";
import { type BatteryOptions, captureConsole, printScores, runBattery, type Score } from "./battery.ts";
import { BATTERY_SECRET, generateCases } from "./cases.ts";
import { importFactory, lambdaEntryPoint } from "./entry-points.ts";

const MAX_BODY_BYTES = 128 * 1024;
const CASES = 2500;

let runs = 0;
let configured = true;
const lines: string[] = [];
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
let handler: never;

beforeAll(async () => {
  const factory = await importFactory<{ createLambdaWebhookHandler: (...args: unknown[]) => never }>("aws-lambda");
  handler = factory.createLambdaWebhookHandler(
    { "*": () => void runs++ },
    { secrets: () => (configured ? [BATTERY_SECRET] : []), maxBodyBytes: MAX_BODY_BYTES },
  );
});
beforeEach(() => captureConsole(lines));
afterEach(() => {
  vi.restoreAllMocks();
  lines.length = 0;
});
afterAll(() => printScores("Hostile battery, Lambda factory with a counting handler", scores));

describe("hostile battery: every Lambda event shape", () => {
  it.each(LAMBDA_SHAPES.map((shape, index) => [shape, index] as const))("%s", async (shape, index) => {
    const cases = generateCases({
      seed: 0x1a3bda + index,
      count: CASES,
      maxBodyBytes: MAX_BODY_BYTES,
      base64Flag: true,
    });
    const score = await runBattery(lambdaEntryPoint(`aws-lambda ${shape}`, shape, handler), cases, battery);
    scores.push(score);
    expect(score.examples, score.examples.join("\n")).toEqual([]);
    expect(score).toMatchObject({ forgedAccepted: 0, uncaught: 0, leaks: 0, outsideContract: 0, mismatches: 0 });
    expect(score.forged).toBeGreaterThan(CASES / 2);
    expect(score.genuineHandled).toBeGreaterThan(20);
    expect(score.replayOtherResourceRefused).toBe(score.replayOtherResource);
  });
});
