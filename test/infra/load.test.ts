// A short run of infra/bench/load.ts (npm run bench:load): the local receiver under autocannon on loopback, every
// delivery distinct, with zero errors, zero lost deliveries and no handler run twice.
import { describe, expect, it } from "vitest";
import { formatLoadTable, runLoad } from "../../infra/bench/load.ts";

describe("the local receiver under load", () => {
  it("answers every signed delivery 200 and runs each one's handler exactly once, on every platform path", async () => {
    const report = await runLoad({ secondsPerPlatform: 1.5, connections: 2, warmUpSeconds: 0 });
    console.info(`${report.machine}\n${formatLoadTable(report)}`);
    expect(report.results).toHaveLength(3);
    for (const result of report.results) {
      expect(result.answered, result.platform).toBeGreaterThan(20);
      expect(result, result.platform).toMatchObject({ errors: 0, lost: 0, duplicates: 0 });
    }
  });
});
