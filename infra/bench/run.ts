// `npm run bench`: per-delivery CPU time (webhooks, then external-resource calls), cold start and bundle sizes, in one
// run on this machine, then the edge factory on each edge runtime against a floor on that runtime
// (infra/bench/edge/). Prints tables with medians and ratios to same-run baselines, and writes the same figures to
// infra/bench/results.json.
import { writeFileSync } from "node:fs";
import os from "node:os";
import { BUNDLES, COPIED_FILE_BUDGET } from "../build/bundles.ts";
import { BENCH_ROOT, buildBenchBundles } from "./bench-build.ts";
import { table, writeBenchmarksSection } from "./benchmarks-file.ts";
import { measureColdStarts } from "./cold-start.ts";
import { measureEdgeRuntimes } from "./edge/measure.ts";
import {
  EDGE_HEADING,
  EDGE_NOT_INSTALLED,
  EDGE_TARGET_RATIO,
  edgeChecks,
  edgeMethods,
  edgeSection,
  edgeTable,
} from "./edge/report.ts";
import { benchExternalCalls, externalCandidates, setBenchExternalSecrets } from "./external.ts";
import { BENCH_SECRET, benchDeliveries } from "./fixtures.ts";
import { candidates, measureAll } from "./per-delivery.ts";
import { measureSizes } from "./sizes.ts";
import { measureWebhookCount } from "./webhook-count.ts";

const ROOT = new URL("../..", import.meta.url);
const TARGETS = {
  perDeliveryRatio: 1.25,
  coldStartRatio: 1.1,
  minifiedBytes: COPIED_FILE_BUDGET,
  edgeRatio: EDGE_TARGET_RATIO,
};
const EDGE_ROUNDS = 21;

const say = console.log.bind(console);
process.env.COMMERCELAYER_WEBHOOK_SECRET = BENCH_SECRET;
setBenchExternalSecrets();
if (typeof (globalThis as { gc?: unknown }).gc !== "function")
  say("(run with node --expose-gc for steadier figures: `npm run bench` does)");

const machine = {
  node: process.version,
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: os.cpus().length,
  platform: `${os.platform()} ${os.arch()}`,
};
say(`Node ${machine.node}, ${machine.cores} × ${machine.cpu}\n`);

// The bundles log one JSON line per delivery; here the line is built (JSON.stringify) but not written.
console.log = () => {};
// Every bundle built from the benchmarks' own handlers, so that the figures measure the machinery.
await buildBenchBundles();
const list = await candidates();
const perDelivery = [];
for (const delivery of benchDeliveries()) perDelivery.push(...(await measureAll(list, delivery)));
const externalList = await externalCandidates();
const perCall = [];
for (const call of benchExternalCalls()) perCall.push(...(await measureAll(externalList, call)));
const webhookCount = await measureWebhookCount();
process.env.COMMERCELAYER_WEBHOOK_SECRET = BENCH_SECRET;
console.log = say;

say("Per-delivery CPU time (µs, median of 21 interleaved samples of 200 calls; ratio to the floor, sample by sample)");
say(
  table(
    ["delivery", "what", "median µs", "× floor"],
    perDelivery.map((r) => [r.delivery, r.name, r.medianMicros, r.ratio]),
  ),
);

say("\nExternal resources: CPU time per call (µs, median of 21 interleaved samples of 200 calls; ratio to the floor)");
const perCallTable = table(
  ["call", "what", "median µs", "× floor"],
  perCall.map((r) => [r.delivery, r.name, r.medianMicros, r.ratio]),
);
say(perCallTable);

const webhookCountHeading =
  "Secrets of a `*` handler's webhooks: CPU time per delivery on the Lambda bundle (µs, median; ratio to one secret)";
const webhookCountTable = table(
  ["delivery", "secrets", "median µs", "× one secret"],
  webhookCount.map((r) => [r.delivery, r.name, r.medianMicros, r.ratio]),
);
say(`\n${webhookCountHeading}`);
say(webhookCountTable);

const largest = benchDeliveries().at(-1);
if (largest === undefined) throw new Error("no benchmark deliveries");
const cold = measureColdStarts(largest, 15);
say("\nCold start: fresh `node` process, import + one orders.place delivery, spawn to exit (ms, median of 15)");
say(
  table(
    ["bundle", "ms", "baseline", "baseline ms", "× baseline"],
    cold.map((r) => [r.name, r.medianMs, r.baseline, r.baselineMedianMs, r.ratio]),
  ),
);

const sizes = await measureSizes(new URL(`file://${BENCH_ROOT}`));
say("\nBundle sizes (bytes)");
say(
  table(
    ["bundle", "shipped", "minified", "minified + gzip"],
    sizes.map((r) => [r.bundle, r.shippedBytes, r.minifiedBytes, r.minifiedGzipBytes]),
  ),
);

// Each runtime in its own process, one after the other; Node's own figures above are done by then.
const edgeStarted = performance.now();
const edge = await measureEdgeRuntimes(benchDeliveries(), { rounds: EDGE_ROUNDS });
if (edge.installed) {
  const seconds = Math.round((performance.now() - edgeStarted) / 1000);
  say(
    `\nEdge factory against a floor on the same runtime (µs of CPU per delivery, median of ${EDGE_ROUNDS} alternating rounds; × floor: median of per-round ratios; ${seconds} s)`,
  );
  say(edgeTable(edge.results));
  say(edgeMethods(edge).join("\n"));
} else {
  say(`\n${EDGE_NOT_INSTALLED}`);
}

const largeLabel = largest.label;
const bundleRows = perDelivery.filter((r) => r.delivery === largeLabel && r.name.includes("bundle"));
const webFloor = perDelivery.find((r) => r.delivery === largeLabel && r.name.startsWith("Web floor"));
const nodeFloor = perDelivery.find((r) => r.delivery === largeLabel && r.name.startsWith("Node floor"));
/** The per-call target, for each bundle row of a CPU table. */
const ratioChecks = (rows: readonly { name: string; delivery: string; ratio: number }[]) =>
  rows
    .filter((r) => r.name.includes("bundle"))
    .map((r) => ({
      target: `${r.name}: ≤ ${TARGETS.perDeliveryRatio}× floor on ${r.delivery}`,
      value: `${r.ratio}×`,
      met: r.ratio <= TARGETS.perDeliveryRatio,
    }));
const checks = [
  ...ratioChecks(bundleRows),
  ...ratioChecks(perCall),
  ...cold.map((r) => ({
    target: `${r.name}: cold start ≤ ${TARGETS.coldStartRatio}× ${r.baseline}`,
    value: `${r.ratio}×`,
    met: r.ratio <= TARGETS.coldStartRatio,
  })),
  ...sizes.map((r) => {
    // The budget test's own figure: COPIED_FILE_BUDGET, or the larger one a deployable bundle states in infra/build/bundles.ts.
    const budget = BUNDLES.find((spec) => spec.outfile === r.bundle)?.minifiedBudget ?? TARGETS.minifiedBytes;
    return {
      target: `${r.bundle}: ≤ ${budget} B minified`,
      value: `${r.minifiedBytes} B`,
      met: r.minifiedBytes <= budget,
    };
  }),
  ...edgeChecks(edge, largeLabel),
];
say("\nTargets");
say(
  table(
    ["target", "measured", "met"],
    checks.map((c) => [c.target, c.value, c.met ? "yes" : "NO"]),
  ),
);
if (webFloor && nodeFloor) {
  say(
    `\nWithout any receiver code, reading a Web Request's body and answering a Response already costs ${webFloor.ratio}× the floor on ${largeLabel}, and reading a Node stream ${nodeFloor.ratio}×.`,
  );
}

// The same figures as a BENCHMARKS.md section (only this section is replaced; the others belong to other scripts).
if (process.argv.includes("--write")) {
  const runLine = `Run: \`npm run bench -- --write\` (infra/bench/run.ts), ${new Date().toISOString().slice(0, 10)}, Node ${machine.node}, ${machine.cores} × ${machine.cpu}.`;
  const markdown = [
    `${runLine} Figures in infra/bench/results.json.`,
    "",
    "**Per-delivery CPU time** (µs of user + system CPU per delivery, median of 21 interleaved samples of 200 calls; ratio to the floor taken sample by sample). Bundles (built from infra/bench/bench-handlers.ts) are called through their platform's shape; the delivery log line is built but not written.",
    "",
    table(
      ["delivery", "what", "median µs", "× floor"],
      perDelivery.map((r) => [r.delivery, r.name, r.medianMicros, r.ratio]),
    ),
    "",
    "**External resources, per call** (the same measure, on Commerce Layer's call for each kind, signed; the deployables are built from infra/bench/bench-external-handlers.ts and called at their deployed paths; the floor also serialises a small answer).",
    "",
    perCallTable,
    "",
    `**${webhookCountHeading}** (one webhook per topic, each with its own secret; infra/bench/webhook-count.ts: the forged rows are 20 and 2 calls a sample)`,
    "",
    webhookCountTable,
    "",
    "**Cold start** (a fresh `node` process that imports the file and handles one orders.place, spawn to exit, median of 15 interleaved runs)",
    "",
    table(
      ["bundle", "ms", "baseline", "baseline ms", "× baseline"],
      cold.map((r) => [r.name, r.medianMs, r.baseline, r.baselineMedianMs, r.ratio]),
    ),
    "",
    "**Bundle sizes** (bytes)",
    "",
    table(
      ["bundle", "shipped", "minified", "minified + gzip"],
      sizes.map((r) => [r.bundle, r.shippedBytes, r.minifiedBytes, r.minifiedGzipBytes]),
    ),
    "",
    "**Targets**",
    "",
    table(
      ["target", "measured", "met"],
      checks.map((c) => [c.target, c.value, c.met ? "yes" : "no"]),
    ),
  ].join("\n");
  writeBenchmarksSection("## Per delivery, cold start and size", markdown);
  // Without the runtimes, the edge section keeps the figures of the last run that had them.
  if (edge.installed) writeBenchmarksSection(EDGE_HEADING, edgeSection(edge, runLine, EDGE_ROUNDS));
  say(`wrote the section${edge.installed ? "s" : ""} of BENCHMARKS.md`);
}

const results = {
  date: new Date().toISOString(),
  machine,
  targets: TARGETS,
  perDelivery,
  externalPerCall: perCall,
  webhookCount,
  coldStart: cold,
  sizes,
  checks,
  edge,
};
writeFileSync(new URL("infra/bench/results.json", ROOT), `${JSON.stringify(results, null, 2)}\n`);
say("\nwrote infra/bench/results.json");
