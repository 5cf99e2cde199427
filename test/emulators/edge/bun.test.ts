// The built edge factory in Bun, the worker served by Bun.serve.
// What is checked: runtime-suite.ts. Needs `npm run emulators:install`.
import { describeEdgeRuntime } from "./runtime-suite.ts";

describeEdgeRuntime("bun");
