// infra/bench/compare.ts (npm run bench:compare): a short run on the suites' fixture build against itself. What is
// checked is that every entry point is measured on every delivery, and that a build refusing the deliveries stops the
// comparison instead of timing its refusals; no figure is asserted (timings belong to the benchmarks).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { compareBuilds } from "../../infra/bench/compare.ts";
import { BENCH_SECRET, benchDeliveries } from "../../infra/bench/fixtures.ts";
import { ENTRY_POINTS } from "../../infra/drive/entry-points.ts";
import { fixtureBuild } from "../support/bundles.ts";

const SECRET_ENV = "COMMERCELAYER_WEBHOOK_SECRET";

describe("npm run bench:compare", () => {
  const saved = process.env[SECRET_ENV];
  afterEach(() => {
    vi.restoreAllMocks();
    if (saved === undefined) delete process.env[SECRET_ENV];
    else process.env[SECRET_ENV] = saved;
  });

  it("measures every deployable entry point of both builds on every benchmark delivery", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    process.env[SECRET_ENV] = BENCH_SECRET;
    const results = await compareBuilds(fixtureBuild(), fixtureBuild(), 1);
    const expected = Object.keys(ENTRY_POINTS).flatMap((entry) =>
      benchDeliveries().map((delivery) => `${entry} ${delivery.label}`),
    );
    expect(results.map((result) => `${result.entry} ${result.delivery}`)).toEqual(expected);
    for (const result of results) {
      expect(result.thisMicros, result.entry).toBeGreaterThan(0);
      expect(result.otherMicros, result.entry).toBeGreaterThan(0);
      expect(Number.isFinite(result.ratio), result.entry).toBe(true);
    }
  });

  it("stops, naming the entry point and the status, when a build does not accept the deliveries", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    process.env[SECRET_ENV] = "not-the-benchmark-secret";
    await expect(compareBuilds(fixtureBuild(), fixtureBuild(), 1)).rejects.toThrow(/^vercel under .* answered .* 401/);
  });

  it("says how to call it, exit 2, without a folder holding another build", async () => {
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", "infra/bench/compare.ts", "no-such-folder"]);
    await expect(run).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^usage: npm run bench:compare/),
    });
  });
});
