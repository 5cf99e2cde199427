import { defineConfig } from "vitest/config";

// The suites that drive the platforms' own emulators (serverless-offline, netlify-cli, vercel dev). Each emulator is
// its own npm package under test/emulators/<platform>/, installed by `npm run emulators:install`.
export default defineConfig({
  test: {
    include: ["test/emulators/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    // The bundles the suites deploy are built from the suites' own handlers (test/fixtures/handlers.ts), once, into a
    // folder of this run's own: dist/ stays the user's (built from functions/handlers.ts by `npm run build`).
    globalSetup: ["test/setup/fixture-bundles.ts"],
    // One emulator at a time: each starts a server process, and the machine has two cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
