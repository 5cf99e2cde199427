// What every bundle suite does around a call: the environment a deployed function would have (the test secret, the
// default limits, plus the case's own), the JSON lines the bundle logs captured, and both undone after each test.
import { afterEach, vi } from "vitest";
import { TEST_SECRET } from "./deliveries.ts";

export function useBundleEnvironment() {
  const logs: string[] = [];
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    logs.length = 0;
  });
  return {
    logs,
    setUp(env: Record<string, string> = {}): void {
      vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", TEST_SECRET);
      vi.stubEnv("COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES", "");
      for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
      vi.spyOn(console, "log").mockImplementation((line: string) => void logs.push(line));
    },
    /** The receiver's own line for the delivery (the example handlers log lines of their own). */
    deliveryLine(): Record<string, unknown> | undefined {
      return logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === "commercelayer webhook");
    },
  };
}
