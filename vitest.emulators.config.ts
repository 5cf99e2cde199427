import { defineConfig } from "vitest/config";
import { quietOutput } from "./test/setup/quiet-output.ts";

// The suites that drive the platforms' own emulators (serverless-offline, netlify-cli, vercel dev). Each emulator is
// its own npm package under test/emulators/<platform>/, installed by `npm run emulators:install`.
export default defineConfig({
  test: {
    include: ["test/emulators/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    // The bundles the suites deploy are built from the suites' own handlers (test/fixtures/handlers.ts), once, into a
    // folder of this run's own: dist/ stays the user's (built from functions/handlers.ts by `npm run build`).
    globalSetup: ["test/setup/fixture-bundles.ts"],
    // The summary and the failures; what the tests and the emulators print goes to
    // .test-build/test-emulators-output.log (VERBOSE=1 prints it).
    ...quietOutput("test-emulators-output.log"),
    env: {
      // As in vitest.config.ts: the AWS SDK's notice about its own future Node requirement, nothing to act on here.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    // One emulator at a time: each starts a server process, and the machine has two cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
