import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The emulator suites are their own npm packages with their own installs; .ci/run runs them separately.
    exclude: ["**/node_modules/**", "test/emulators/**"],
    // Every bundle the suites drive is built once from their own handlers (test/fixtures/handlers.ts).
    globalSetup: ["test/setup/fixture-bundles.ts"],
    // Some suites start Node processes or run tsc on a throwaway project: seconds, not milliseconds, on two cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
