// Runs the edge benchmark in workerd through miniflare: `node24 host-workerd.mjs <config JSON>` (miniflare needs Node
// 22 or later). in-workerd.mjs is the Worker, with the built factory as its import and no compatibility flag; its clock
// is the CLOCK service binding, a function here that reads workerd's CPU time (every thread, in nanoseconds) from
// /proc. One request per delivery; prints one JSON report line.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { EdgeBenchInput, EdgeBenchReport } from "./loop.ts";

interface HostConfig {
  readonly runtimesDir: string;
  readonly inputUrl: string;
  readonly compatibilityDate: string;
}

interface MiniflareLike {
  readonly ready: Promise<URL>;
  dispatchFetch(url: string, init: { method: string; body: string }): Promise<Response>;
  dispose(): Promise<void>;
}

const config = JSON.parse(process.argv.at(-1) ?? "{}") as HostConfig;
const input = ((await import(config.inputUrl)) as { default: EdgeBenchInput }).default;
const entry = pathToFileURL(join(config.runtimesDir, "miniflare/dist/src/index.js")).href;
const { Miniflare } = (await import(entry)) as { Miniflare: new (options: object) => MiniflareLike };

/** The workerd process miniflare started: this process's child of that name. */
function workerdPid(): string {
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const [, comm = "", rest = ""] = /^\d+ \((.*)\) (.*)$/s.exec(stat) ?? [];
      if (comm === "workerd" && rest.split(" ")[1] === String(process.pid)) return pid;
    } catch {
      // Gone since the listing.
    }
  }
  throw new Error("workerd: no child process of that name (is /proc mounted?)");
}

let pid = "";
/** Milliseconds of CPU time the workerd process has used: the first field of each thread's schedstat, in ns. */
function workerdCpuMs(): number {
  let nanoseconds = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // A thread that ended since the listing.
    }
  }
  return nanoseconds / 1e6;
}

const here = fileURLToPath(new URL(".", import.meta.url));
const mf = new Miniflare({
  modules: true,
  modulesRules: [{ type: "ESModule", include: ["**/*.mjs"] }],
  scriptPath: join(here, "in-workerd.mjs"),
  modulesRoot: here,
  compatibilityDate: config.compatibilityDate,
  compatibilityFlags: [],
  serviceBindings: { CLOCK: () => new Response(String(workerdCpuMs())) },
});
try {
  await mf.ready;
  pid = workerdPid();
  const rows = [];
  for (const delivery of input.deliveries) {
    const body = JSON.stringify({ ...input, deliveries: [delivery] });
    const response = await mf.dispatchFetch("http://bench/", { method: "POST", body });
    if (!response.ok) throw new Error(`workerd answered ${response.status}: ${await response.text()}`);
    rows.push(...((await response.json()) as EdgeBenchReport).rows);
  }
  console.log(JSON.stringify({ rounds: input.rounds, rows } satisfies EdgeBenchReport));
} finally {
  await mf.dispose();
}
