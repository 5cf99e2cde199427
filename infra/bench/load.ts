// `npm run bench:load`: the local receiver (infra/local/start.ts, as `npm start` runs it) under a sustained load of signed
// deliveries from autocannon, one platform path after the other, on loopback only and for a bounded time. Every
// delivery is a distinct orders.place (its own resource id), so the receiver's output tells whether each delivery's
// handler ran exactly once: the benchmarks' orders.place handler prints one line per delivery with the id.
//
//   npm run bench:load                               5 s per platform path, 4 connections
//   npm run bench:load -- --seconds 10 --connections 8 --write    and write the figures into BENCHMARKS.md
import { type ChildProcess, spawn } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { signPayload } from "../../shared/node/signature.ts";
import { buildSampleDelivery } from "../samples/build.ts";
import { BENCH_HANDLERS } from "./bench-build.ts";
import { writeBenchmarksSection } from "./benchmarks-file.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LOAD_SECRET = "load-bench-secret-7d3f91";
const TOPIC = "orders.place";

export const LOAD_PATHS = {
  vercel: "/vercel/api/webhooks/commercelayer",
  "aws-lambda": "/aws-lambda/webhooks/commercelayer",
  netlify: "/netlify/webhooks/commercelayer",
} as const;
export type LoadPlatform = keyof typeof LOAD_PATHS;

export interface LoadOptions {
  readonly secondsPerPlatform: number;
  readonly connections: number;
  readonly platforms?: readonly LoadPlatform[];
  /** Seconds of unmeasured load on every path first, so the figures are not those of code still being compiled. */
  readonly warmUpSeconds?: number;
  /** Progress lines on stderr. */
  readonly verbose?: boolean;
}

export interface PlatformLoad {
  readonly platform: LoadPlatform;
  readonly seconds: number;
  readonly connections: number;
  /** Deliveries answered (any status). */
  readonly answered: number;
  readonly requestsPerSecond: number;
  readonly bytesPerDelivery: number;
  readonly latency: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number };
  /** Transport errors, timeouts and answers other than 200. */
  readonly errors: number;
  /** Deliveries answered 200 whose handler line never appeared. */
  readonly lost: number;
  /** Deliveries whose handler ran more than once. */
  readonly duplicates: number;
  /** Deliveries whose handler ran but whose answer autocannon did not wait for (in flight when the time was up). */
  readonly inFlightAtStop: number;
}

export interface LoadReport {
  readonly machine: string;
  readonly results: readonly PlatformLoad[];
}

interface Receiver {
  readonly base: string;
  readonly child: ChildProcess;
  /** Handler lines per resource id, and final delivery lines per resource id, as the receiver printed them. */
  readonly handlerRuns: Map<string, number>;
  readonly deliveryLines: Map<string, number>;
  stop(): Promise<void>;
}

// `  ↳ bench handler: topic=orders.place id=XXXX` (readable) or the JSON line itself (infra/bench/bench-handlers.ts).
const HANDLER_LINE = /bench handler\b.*?\bid[=":]+([A-Za-z0-9]+)/;
// `09:30:01.112 vercel      orders.place   wZeDdSamqn  handled   200     1.3 ms`
const DELIVERY_LINE = /^\d\d:\d\d:\d\d\.\d{3} \S+\s+\S+\s+([A-Za-z0-9]+)\s+handled\s+200\b/;

/** Starts infra/local/start.ts on a port the system picks, with a known secret; resolves once it listens. */
async function startReceiver(): Promise<Receiver> {
  const { NODE_ENV: _nodeEnv, ...env } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "infra/local/start.ts", "--handlers", BENCH_HANDLERS], {
    cwd: ROOT,
    env: { ...env, PORT: "0", COMMERCELAYER_WEBHOOK_SECRET: LOAD_SECRET },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const handlerRuns = new Map<string, number>();
  const deliveryLines = new Map<string, number>();
  let pending = "";
  let output = "";
  const base = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the receiver did not start:\n${output.slice(-2000)}`)), 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the receiver exited with ${code}:\n${output.slice(-2000)}`));
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      if (output.length < 20_000) output += chunk.toString("utf8");
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const run = HANDLER_LINE.exec(line);
        if (run?.[1]) handlerRuns.set(run[1], (handlerRuns.get(run[1]) ?? 0) + 1);
        const delivery = DELIVERY_LINE.exec(line);
        if (delivery?.[1]) deliveryLines.set(delivery[1], (deliveryLines.get(delivery[1]) ?? 0) + 1);
        const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (listening?.[1]) {
          clearTimeout(timer);
          resolve(listening[1]);
        }
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, "SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    return { base: await base, child, handlerRuns, deliveryLines, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A realistic orders.place (14 included resources, ~35 KB) whose resource id can be swapped for a unique one. */
function deliveryTemplate(): { parts: string[]; bytes: number } {
  const sample = buildSampleDelivery(TOPIC, { seed: 11 });
  const id = sample.payload.data.id;
  return { parts: sample.body.split(id), bytes: Buffer.byteLength(sample.body) };
}

async function loadOnePlatform(
  receiver: Receiver,
  platform: LoadPlatform,
  options: LoadOptions,
  prefix: string,
): Promise<PlatformLoad> {
  const template = deliveryTemplate();
  const statuses = new Map<string, number>();
  let next = 0;
  const result = await autocannon({
    url: receiver.base,
    connections: options.connections,
    pipelining: 1,
    duration: options.secondsPerPlatform,
    timeout: 10,
    requests: [
      {
        method: "POST",
        path: LOAD_PATHS[platform],
        setupRequest: (request, context) => {
          // Ten characters, like Commerce Layer's ids, and distinct for every delivery of the run.
          const id = `${prefix}${(next++).toString(36).padStart(9, "0")}`;
          (context as { id?: string }).id = id;
          const body = Buffer.from(template.parts.join(id), "utf8");
          return {
            ...request,
            body,
            headers: {
              "content-type": "application/json",
              "user-agent": "CommerceLayer Module",
              "x-commercelayer-topic": TOPIC,
              "x-commercelayer-signature": signPayload(body, LOAD_SECRET),
            },
          };
        },
        onResponse: (status, _body, context) => {
          const { id } = context as { id?: string };
          if (id !== undefined) statuses.set(id, status);
        },
      },
    ],
  });
  const ok = [...statuses].filter(([, status]) => status === 200).map(([id]) => id);
  // The receiver prints after it answers: wait until every answered delivery's lines are in (or 5 s).
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && ok.some((id) => !receiver.handlerRuns.has(id) || !receiver.deliveryLines.has(id)))
    await new Promise((resolve) => setTimeout(resolve, 50));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const ours = [...receiver.handlerRuns].filter(([id]) => id.startsWith(prefix));
  return {
    platform,
    seconds: options.secondsPerPlatform,
    connections: options.connections,
    answered: statuses.size,
    requestsPerSecond: Math.round(result.requests.average),
    bytesPerDelivery: template.bytes,
    latency: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    errors: result.errors + result.timeouts + [...statuses.values()].filter((status) => status !== 200).length,
    lost: ok.filter((id) => !receiver.handlerRuns.has(id) || !receiver.deliveryLines.has(id)).length,
    duplicates:
      ours.filter(([, runs]) => runs > 1).length +
      [...receiver.deliveryLines].filter(([id, lines]) => id.startsWith(prefix) && lines > 1).length,
    inFlightAtStop: ours.filter(([id]) => !statuses.has(id)).length,
  };
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const platforms = options.platforms ?? (Object.keys(LOAD_PATHS) as LoadPlatform[]);
  const receiver = await startReceiver();
  try {
    const warmUp = options.warmUpSeconds ?? 1;
    if (warmUp > 0) {
      if (options.verbose) console.error(`warming up: ${warmUp} s per path…`);
      for (const platform of platforms)
        await loadOnePlatform(receiver, platform, { ...options, secondsPerPlatform: warmUp }, "W");
    }
    const results: PlatformLoad[] = [];
    for (const [index, platform] of platforms.entries()) {
      if (options.verbose)
        console.error(`${platform}: ${options.secondsPerPlatform} s, ${options.connections} connections…`);
      results.push(await loadOnePlatform(receiver, platform, options, "LVAN"[index % 4] ?? "L"));
    }
    const cpu = os.cpus();
    return { machine: `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}`, results };
  } finally {
    await receiver.stop();
  }
}

export function formatLoadTable(report: LoadReport): string {
  const rows = report.results.map((r) =>
    [
      `\`${LOAD_PATHS[r.platform]}\``,
      `${r.seconds} s × ${r.connections}`,
      r.answered,
      r.requestsPerSecond,
      r.latency.p50,
      r.latency.p90,
      r.latency.p99,
      r.latency.max,
      r.errors,
      r.lost,
      r.duplicates,
      r.inFlightAtStop,
    ].join(" | "),
  );
  return [
    "| path | run | deliveries answered | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | lost | run twice | in flight at stop |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map((row) => `| ${row} |`),
  ].join("\n");
}

export const LOAD_HEADING = "## Load: the local receiver under autocannon";

export function loadSection(report: LoadReport, command: string): string {
  const kb = ((report.results[0]?.bytesPerDelivery ?? 0) / 1024).toFixed(1);
  return `Run: \`${command}\` (infra/bench/load.ts). ${report.machine}; the load generator and the receiver share the
machine, on loopback.

The script starts the local receiver as \`npm start\` does (\`infra/local/start.ts\`: the built bundles, each called through
its platform's shape, printing one readable line per delivery plus the benchmark handler's line), then autocannon posts
signed \`${TOPIC}\` deliveries (${kb} KB, 14 included resources, each with its own resource id and signature) at each
platform path in turn, after a 1 s unmeasured warm-up per path. Latencies are autocannon's, from request written to
response read. A delivery is *lost* when it was answered 200 but its handler's line or its delivery line never
appeared, and *run twice* when its id appears twice; *in flight at stop* are deliveries the receiver handled (once)
whose answer autocannon no longer waited for when the time was up.

${formatLoadTable(report)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "5" },
      connections: { type: "string", default: "4" },
      write: { type: "boolean", default: false },
    },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  if (!(seconds > 0 && seconds <= 60) || !(Number.isInteger(connections) && connections > 0 && connections <= 64)) {
    console.error("--seconds must be in (0, 60] and --connections an integer in [1, 64]");
    process.exit(2);
  }
  const report = await runLoad({ secondsPerPlatform: seconds, connections, verbose: true });
  console.log(`${report.machine}\n\n${formatLoadTable(report)}`);
  if (values.write) {
    const command = `npm run bench:load -- --seconds ${seconds} --connections ${connections} --write`;
    writeBenchmarksSection(LOAD_HEADING, loadSection(report, command));
    console.log("\nwrote the load section of BENCHMARKS.md");
  }
  const failed = report.results.some((r) => r.errors > 0 || r.lost > 0 || r.duplicates > 0);
  process.exitCode = failed ? 1 : 0;
}
