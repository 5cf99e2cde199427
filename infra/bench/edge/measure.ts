// The edge part of `npm run bench`: the edge factory against its floor on each runtime (runtimes.ts), one runtime at
// a time, each in its own process, on the same deliveries as the Node figures.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BenchDelivery } from "../fixtures.ts";
import { BENCH_SECRET } from "../fixtures.ts";
import { buildEdgeBench, EDGE_BENCH_DIR } from "./build.ts";
import type { EdgeBenchInput, EdgeBenchReport, EdgeBenchRow } from "./loop.ts";
import { EDGE_BENCH_RUNTIMES, type EdgeBenchRuntime, isInstalled, versionOf } from "./runtimes.ts";

export interface EdgeRuntimeResult {
  readonly runtime: string;
  readonly version: string;
  readonly clock: string;
  readonly rows: readonly EdgeBenchRow[];
}

export interface EdgeBenchOutcome {
  /** False when no edge runtime is installed: nothing was measured. */
  readonly installed: boolean;
  readonly results: readonly EdgeRuntimeResult[];
  /** Runtimes not installed, or whose run failed, and why. */
  readonly skipped: readonly { readonly runtime: string; readonly why: string }[];
}

const RUN_TIMEOUT_MS = 10 * 60_000;

function run(runtime: EdgeBenchRuntime, inputUrl: string): Promise<EdgeBenchReport> {
  const { command, args } = runtime.command(inputUrl);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: EDGE_BENCH_DIR,
      env: { ...process.env, DENO_DIR: join(EDGE_BENCH_DIR, "deno"), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trimEnd().split("\n").at(-1) ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as EdgeBenchReport);
      else reject(new Error(`exited ${code ?? signal}: ${(stderr || stdout).trim().slice(-600)}`));
    });
  });
}

/** Measures every installed runtime; `installed: false` (and nothing run) when none of the edge runtimes is. */
export async function measureEdgeRuntimes(
  deliveries: readonly BenchDelivery[],
  options: { rounds?: number; minBatchMs?: number } = {},
): Promise<EdgeBenchOutcome> {
  const edgeOnes = EDGE_BENCH_RUNTIMES.filter((runtime) => runtime.needs.length > 0);
  if (!edgeOnes.some(isInstalled)) return { installed: false, results: [], skipped: [] };
  await buildEdgeBench();
  const input: EdgeBenchInput = {
    secret: BENCH_SECRET,
    rounds: options.rounds ?? 21,
    minBatchMs: options.minBatchMs ?? 50,
    deliveries: deliveries.map((delivery) => ({
      label: delivery.label,
      body: delivery.body.toString("utf8"),
      headers: delivery.headers,
    })),
  };
  const inputPath = join(EDGE_BENCH_DIR, "input.mjs");
  writeFileSync(inputPath, `export default ${JSON.stringify(input)};\n`);
  const inputUrl = pathToFileURL(inputPath).href;
  const results: EdgeRuntimeResult[] = [];
  const skipped: { runtime: string; why: string }[] = [];
  for (const runtime of EDGE_BENCH_RUNTIMES) {
    if (!isInstalled(runtime)) {
      skipped.push({ runtime: runtime.name, why: "not installed (npm run emulators:install)" });
      continue;
    }
    try {
      const report = await run(runtime, inputUrl);
      results.push({ runtime: runtime.name, version: versionOf(runtime), clock: runtime.clock, rows: report.rows });
    } catch (error) {
      skipped.push({ runtime: runtime.name, why: error instanceof Error ? error.message : String(error) });
    }
  }
  return { installed: true, results, skipped };
}
