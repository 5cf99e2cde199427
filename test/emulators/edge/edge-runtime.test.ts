// The built edge factory in Vercel's edge runtime: the edge-runtime VM `vercel dev` runs edge functions in, on this
// Node, with process.env.
// What is checked: runtime-suite.ts. Needs `npm run emulators:install`.
import { describeEdgeRuntime } from "./runtime-suite.ts";

describeEdgeRuntime("edge-runtime");
