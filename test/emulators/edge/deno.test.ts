// The built edge factory in Deno, the worker served by Deno.serve (as Netlify's edge functions and Deno Deploy run
// it), network on loopback only.
// What is checked: runtime-suite.ts. Needs `npm run emulators:install`.
import { describeEdgeRuntime } from "./runtime-suite.ts";

describeEdgeRuntime("deno");
