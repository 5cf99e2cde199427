import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The emulator suites are their own npm packages with their own installs; .ci/run runs them separately.
    exclude: ["**/node_modules/**", "test/emulators/**"],
  },
});
