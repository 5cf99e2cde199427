import { defineConfig } from "vitest/config";

// `npm run test:handlers`: the user's own tests of functions/handlers.ts, kept apart from `npm test` (the template's
// machinery, tested with its own fixture handlers) so that replacing the examples never breaks the template's suites.
export default defineConfig({
  test: {
    include: ["functions/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
