// How the edge benchmark starts each runtime, and with which clock: a command that runs the built scripts
// (build.ts) and prints one JSON report line (loop.ts). The runtimes are the packages of test/emulators/edge/
// (`npm run emulators:install`, linux-x64); Node, the one running the benchmark, is the fifth, for reference.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EDGE_RUNTIMES_DIR, WORKERD_COMPATIBILITY_DATE } from "../../drive/edge-runtimes.ts";
import { EDGE_BENCH_DIR } from "./build.ts";

export interface EdgeBenchRuntime {
  readonly name: string;
  /** The installed files it needs, relative to EDGE_RUNTIMES_DIR; none for Node. */
  readonly needs: readonly string[];
  /** The package whose version the report names. */
  readonly versionOf?: string;
  /** How its time is measured, for the report. */
  readonly clock: string;
  command(inputUrl: string): { command: string; args: string[] };
}

const installed = (relativePath: string) => join(EDGE_RUNTIMES_DIR, relativePath);
const script = (name: string) => join(EDGE_BENCH_DIR, name);
const hostConfig = (inputUrl: string, extra: object = {}) =>
  JSON.stringify({ runtimesDir: EDGE_RUNTIMES_DIR, inputUrl, ...extra });

export const EDGE_BENCH_RUNTIMES: readonly EdgeBenchRuntime[] = [
  {
    name: "edge-runtime",
    needs: ["edge-runtime/dist/index.js"],
    versionOf: "edge-runtime",
    clock: `Vercel's edge VM on this Node (${process.version}); CPU time of the process (process.cpuUsage), lent to the VM`,
    command: (inputUrl) => ({
      command: process.execPath,
      args: ["--expose-gc", script("host-edge-runtime.mjs"), hostConfig(inputUrl)],
    }),
  },
  {
    name: "workerd",
    needs: ["miniflare/dist/src/index.js", "node24/bin/node"],
    versionOf: "workerd",
    clock:
      "miniflare on Node 24, no compatibility flag; its clock moves in whole milliseconds (and not at all during execution on Cloudflare), so the Worker awaits a fetch to a service binding at each end of a batch, where the host reads workerd's CPU time (all threads, /proc/<pid>/task/*/schedstat); the cost of those two fetches (an empty batch) is subtracted",
    command: (inputUrl) => ({
      command: installed("node24/bin/node"),
      args: [script("host-workerd.mjs"), hostConfig(inputUrl, { compatibilityDate: WORKERD_COMPATIBILITY_DATE })],
    }),
  },
  {
    name: "Deno",
    needs: ["@deno/linux-x64-glibc/deno"],
    versionOf: "@deno/linux-x64-glibc",
    clock: "CPU time of the process (process.cpuUsage); --allow-env, as Netlify's edge functions run",
    command: (inputUrl) => ({
      command: installed("@deno/linux-x64-glibc/deno"),
      args: [
        "run",
        "--no-prompt",
        `--allow-read=${EDGE_BENCH_DIR}`,
        "--allow-env",
        "--v8-flags=--expose-gc",
        script("in-process.mjs"),
        inputUrl,
      ],
    }),
  },
  {
    name: "Bun",
    needs: ["@oven/bun-linux-x64/bin/bun"],
    versionOf: "@oven/bun-linux-x64",
    clock: "CPU time of the process (process.cpuUsage), Bun.gc before each batch",
    command: (inputUrl) => ({
      command: installed("@oven/bun-linux-x64/bin/bun"),
      args: [script("in-process.mjs"), inputUrl],
    }),
  },
  {
    name: "Node",
    needs: [],
    clock: "CPU time of the process (process.cpuUsage); the Node running the benchmark, for reference",
    command: (inputUrl) => ({
      command: process.execPath,
      args: ["--expose-gc", script("in-process.mjs"), inputUrl],
    }),
  },
];

export const isInstalled = (runtime: EdgeBenchRuntime): boolean =>
  runtime.needs.every((path) => existsSync(installed(path)));

export function versionOf(runtime: EdgeBenchRuntime): string {
  if (runtime.versionOf === undefined) return process.version;
  const manifest = JSON.parse(readFileSync(installed(`${runtime.versionOf}/package.json`), "utf8")) as {
    version: string;
  };
  return manifest.version;
}
