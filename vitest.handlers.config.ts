import { defineConfig } from "vitest/config";
import { quietOutput } from "./test/setup/quiet-output.ts";

// `npm run test:handlers`: the user's own tests of functions/handlers.ts, kept apart from `npm test` (the template's
// machinery, tested with its own fixture handlers) so that replacing the examples never breaks the template's suites.
export default defineConfig({
  test: {
    include: ["functions/**/*.test.ts"],
    // The summary and the failures; what the tests print goes to .test-build/test-handlers-output.log (VERBOSE=1
    // prints it).
    ...quietOutput("test-handlers-output.log"),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
