// The edge figures as `npm run bench` prints them and as BENCHMARKS.md keeps them: one table, how each runtime was
// measured, and one target per runtime.
import { table } from "../benchmarks-file.ts";
import type { EdgeBenchOutcome, EdgeRuntimeResult } from "./measure.ts";

/** The edge factory's target on every runtime: within 10 % of the floor measured beside it on the same runtime. */
export const EDGE_TARGET_RATIO = 1.1;
export const EDGE_HEADING = "## Edge factory per runtime";
export const EDGE_NOT_INSTALLED =
  "Edge runtimes not installed: run npm run emulators:install (the edge figures are skipped)";

const runtimeLabel = (result: EdgeRuntimeResult) =>
  `${result.runtime === "Node" ? "Node (reference)" : result.runtime} ${result.version}`;

export function edgeTable(results: readonly EdgeRuntimeResult[]): string {
  return table(
    ["runtime", "delivery", "floor µs", "factory µs", "× floor", "middle half of rounds", "calls per batch"],
    results.flatMap((result) =>
      result.rows.map((row) => [
        runtimeLabel(result),
        row.delivery,
        row.floorMicros,
        row.factoryMicros,
        row.ratio,
        `${row.ratioLow}–${row.ratioHigh}`,
        row.batch,
      ]),
    ),
  );
}

/** How each runtime was started and timed, one line each, and the runtimes that were not measured. */
export function edgeMethods(outcome: EdgeBenchOutcome): string[] {
  return [
    ...outcome.results.map((result) => `- ${runtimeLabel(result)}: ${result.clock}.`),
    ...outcome.skipped.map((skip) => `- ${skip.runtime}: not measured: ${skip.why}`),
  ];
}

export function edgeChecks(
  outcome: EdgeBenchOutcome,
  delivery: string,
): { target: string; value: string; met: boolean }[] {
  return outcome.results.flatMap((result) =>
    result.rows
      .filter((row) => row.delivery === delivery)
      .map((row) => ({
        target: `edge factory on ${runtimeLabel(result)}: ≤ ${EDGE_TARGET_RATIO}× its floor on ${delivery}`,
        value: `${row.ratio}×`,
        met: row.ratio <= EDGE_TARGET_RATIO,
      })),
  );
}

/** The BENCHMARKS.md section (its heading apart). */
export function edgeSection(outcome: EdgeBenchOutcome, run: string, rounds: number): string {
  return [
    `${run} Figures in infra/bench/results.json (\`edge\`).`,
    "",
    `The edge factory (dist/factories/edge/commercelayer-webhook-factory.mjs, one no-op \`orders.place\` handler, so customers.create is \`ignored\`) against a floor on the same runtime, in the same process: \`await request.arrayBuffer()\`, the signature header decoded and checked with \`crypto.subtle.verify\` (key imported once, as the factory caches it), \`JSON.parse(new TextDecoder().decode(bytes))\`, \`new Response(...)\`. ${rounds} rounds per delivery, each one batch of the floor and one of the factory in alternating order; a batch is calibrated to last at least 50 ms of the floor; the Requests (with the Content-Length a delivery carries) are built before the clock starts, and a full collection runs before each batch where the runtime exposes one (all but workerd); the factory's log line is built but not written. µs of CPU per delivery, median of the rounds; × floor is the median of the per-round ratios (infra/bench/edge/).`,
    "",
    edgeTable(outcome.results),
    "",
    "How each runtime was run and timed:",
    "",
    ...edgeMethods(outcome),
  ].join("\n");
}
