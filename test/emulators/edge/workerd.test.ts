// The built edge factory in workerd, Cloudflare's runtime, through miniflare: a module worker with no nodejs_compat,
// so no process at all.
// What is checked: runtime-suite.ts. Needs `npm run emulators:install`.
import { describeEdgeRuntime } from "./runtime-suite.ts";

describeEdgeRuntime("workerd");
