// Cold start: a fresh Node process that imports a bundle and handles one delivery, timed from spawn to exit, against
// the same for a minimal hand-written handler of the same platform shape. Runs are interleaved, medians reported.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lambdaEvent } from "../drive/lambda-events.ts";
import { BENCH_ROOT } from "./bench-build.ts";
import { BENCH_SECRET, type BenchDelivery } from "./fixtures.ts";
import { MINIMAL_LAMBDA_HANDLER, MINIMAL_WEB_HANDLER } from "./minimal-handlers.ts";
import { median } from "./stats.ts";

type Shape = "lambda-event" | "web-request" | "node-http";

export interface ColdStartResult {
  readonly name: string;
  readonly baseline: string;
  readonly medianMs: number;
  readonly baselineMedianMs: number;
  readonly ratio: number;
  readonly runs: number;
}

/** A script that imports `modulePath`, feeds it one delivery in `shape`, and exits non-zero unless it got 200. */
function driver(modulePath: string, exportName: string, shape: Shape, delivery: BenchDelivery): string {
  const headers = JSON.stringify(delivery.headers);
  const body = JSON.stringify(delivery.body.toString("base64"));
  const event = JSON.stringify(
    lambdaEvent("http-api-v2", { method: "POST", headers: delivery.headers, body: delivery.body }, false),
  );
  const call = {
    "lambda-event": `const result = await mod.${exportName}(${event}, {});
const status = result.statusCode;`,
    "web-request": `const response = await mod.${exportName}(new Request("https://example.com/webhooks/commercelayer", { method: "POST", headers: ${headers}, body: Buffer.from(${body}, "base64") }), {});
const status = response.status;`,
    "node-http": `const { Readable } = await import("node:stream");
const req = Object.assign(Readable.from([Buffer.from(${body}, "base64")], { objectMode: false }), { method: "POST", headers: ${headers} });
let status = 0;
await mod.${exportName}(req, { set statusCode(value) { status = value; }, get statusCode() { return status; }, setHeader() {}, end() {}, once() {} });`,
  }[shape];
  return `console.log = () => {};
const mod = await import(${JSON.stringify(modulePath)});
${call}
if (status !== 200) { process.stderr.write("status " + status + "\\n"); process.exit(1); }
`;
}

function timeRun(script: string): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [script], {
    env: { ...process.env, COMMERCELAYER_WEBHOOK_SECRET: BENCH_SECRET },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr.toString()}`);
  return elapsed;
}

interface Subject {
  readonly name: string;
  readonly module: string;
  readonly exportName: string;
  readonly shape: Shape;
}

const SUBJECTS: readonly Subject[] = [
  {
    name: "aws-lambda bundle",
    module: "dist/aws-lambda/commercelayer-webhook.mjs",
    exportName: "handler",
    shape: "lambda-event",
  },
  {
    name: "netlify legacy bundle",
    module: "dist/netlify/commercelayer-webhook-legacy.mjs",
    exportName: "handler",
    shape: "lambda-event",
  },
  { name: "vercel bundle", module: "dist/vercel/commercelayer-webhook.mjs", exportName: "POST", shape: "web-request" },
  {
    name: "netlify bundle",
    module: "dist/netlify/commercelayer-webhook.mjs",
    exportName: "default",
    shape: "web-request",
  },
  {
    name: "vercel node bundle",
    module: "dist/vercel/commercelayer-webhook-node.mjs",
    exportName: "default",
    shape: "node-http",
  },
];

export function measureColdStarts(delivery: BenchDelivery, runs = 15): ColdStartResult[] {
  const dir = mkdtempSync(join(tmpdir(), "cl-cold-"));
  try {
    writeFileSync(join(dir, "minimal-lambda.mjs"), MINIMAL_LAMBDA_HANDLER);
    writeFileSync(join(dir, "minimal-web.mjs"), MINIMAL_WEB_HANDLER);
    const baselines: Record<Shape, { name: string; script: string }> = {
      "lambda-event": { name: "minimal Lambda handler", script: join(dir, "baseline-lambda.mjs") },
      "web-request": { name: "minimal Web handler", script: join(dir, "baseline-web.mjs") },
      // The Node flavour's platform is a plain (req, res) call: the Lambda baseline (no Request/undici) is the fair one.
      "node-http": { name: "minimal Lambda handler", script: join(dir, "baseline-lambda.mjs") },
    };
    writeFileSync(
      baselines["lambda-event"].script,
      driver(join(dir, "minimal-lambda.mjs"), "handler", "lambda-event", delivery),
    );
    writeFileSync(
      baselines["web-request"].script,
      driver(join(dir, "minimal-web.mjs"), "POST", "web-request", delivery),
    );
    const scripts = SUBJECTS.map((subject, index) => {
      const script = join(dir, `subject-${index}.mjs`);
      writeFileSync(script, driver(join(BENCH_ROOT, subject.module), subject.exportName, subject.shape, delivery));
      return script;
    });
    const subjectTimes = SUBJECTS.map(() => [] as number[]);
    const baselineTimes = SUBJECTS.map(() => [] as number[]);
    timeRun(baselines["lambda-event"].script); // warm the file cache
    for (let run = 0; run < runs; run++) {
      SUBJECTS.forEach((subject, index) => {
        baselineTimes[index]?.push(timeRun(baselines[subject.shape].script));
        subjectTimes[index]?.push(timeRun(scripts[index] ?? ""));
      });
    }
    return SUBJECTS.map((subject, index) => {
      const times = subjectTimes[index] ?? [];
      const base = baselineTimes[index] ?? [];
      return {
        name: subject.name,
        baseline: baselines[subject.shape].name,
        medianMs: Math.round(median(times) * 10) / 10,
        baselineMedianMs: Math.round(median(base) * 10) / 10,
        ratio: Math.round(median(times.map((time, i) => time / (base[i] ?? time))) * 100) / 100,
        runs,
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
