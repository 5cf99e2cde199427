import { defineConfig } from "vitest/config";
import { quietOutput } from "./test/setup/quiet-output.ts";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The emulator suites are their own npm packages with their own installs; .ci/run runs them separately.
    exclude: ["**/node_modules/**", "test/emulators/**"],
    // Every bundle the suites drive is built once from their own handlers (test/fixtures/handlers.ts).
    globalSetup: ["test/setup/fixture-bundles.ts"],
    // The summary and the failures; what the tests print goes to .test-build/test-output.log (VERBOSE=1 prints it).
    ...quietOutput("test-output.log"),
    env: {
      // The AWS SDK (a dev dependency: the suites drive SQS and DynamoDB emulators with it) warns once per process
      // that its releases after January 2027 will need Node 22. The template supports Node 20 (package.json
      // "engines"), and its bundles leave the SDK to the Lambda runtime: nothing here to act on.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    // Some suites start Node processes or run tsc on a throwaway project: seconds, not milliseconds, on two cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
