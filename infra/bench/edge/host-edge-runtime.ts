// Runs the edge benchmark in Vercel's edge VM: `node --expose-gc host-edge-runtime.mjs <config JSON>`, where the
// config names the runtimes' node_modules and the input module. The VM (edge-runtime's EdgeRuntime, the one `vercel dev`
// runs edge functions in) evaluates in-vm.js with its own globals; it gets a `process.env` as Vercel's edge runtime
// gives one, and this process's CPU time and gc as its clock. Prints one JSON report line.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { EdgeBenchInput } from "./loop.ts";

interface HostConfig {
  readonly runtimesDir: string;
  readonly inputUrl: string;
}

interface EdgeVm {
  evaluate<T>(code: string): T;
}

const config = JSON.parse(process.argv.at(-1) ?? "{}") as HostConfig;
const input = ((await import(config.inputUrl)) as { default: EdgeBenchInput }).default;
const entry = pathToFileURL(join(config.runtimesDir, "edge-runtime/dist/index.js")).href;
const { EdgeRuntime } = (await import(entry)) as {
  EdgeRuntime: new (options: { initialCode: string; extend: (context: object) => object }) => EdgeVm;
};
const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};
const runtime = new EdgeRuntime({
  initialCode: readFileSync(new URL("./in-vm.js", import.meta.url), "utf8"),
  extend: (context) =>
    Object.assign(context, {
      process: { env: {} },
      __benchCpuMs: cpuMs,
      __benchGc: (globalThis as { gc?: () => void }).gc,
    }),
});
console.log(await runtime.evaluate<Promise<string>>(`runEdgeBenchInVm(${JSON.stringify(JSON.stringify(input))})`));
