// `npm run bench:compare -- <folder>`: this checkout's deployable bundles against another build of the same entry
// points (`<folder>/dist/...`: another checkout's benchmark bundles, see docs/benchmarks.md), per delivery, in one
// process. Each sample measures both builds of an entry point back to back, the order alternating from one sample to
// the next (whichever runs second in a pair tends to read a little slower), and the ratio is taken pair by pair.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { callEntry, ENTRY_POINTS, type EntryName, platformInput, readAnswer } from "../drive/entry-points.ts";
import { BENCH_ROOT, buildBenchBundles } from "./bench-build.ts";
import { table } from "./benchmarks-file.ts";
import { BENCH_SECRET, type BenchDelivery, benchDeliveries } from "./fixtures.ts";
import { median, ratio } from "./stats.ts";

const SAMPLES = 31;
const BATCH = 200;

type Call = (input: unknown[]) => Promise<unknown>;

async function loadEntry(root: string, name: EntryName): Promise<Call> {
  const { bundle, exportName, shape } = ENTRY_POINTS[name];
  const file = join(root, bundle);
  const call = ((await import(pathToFileURL(file).href)) as Record<string, (...args: unknown[]) => Promise<unknown>>)[
    exportName
  ];
  if (call === undefined) throw new Error(`${file} does not export ${exportName}`);
  return (input) => callEntry(call, shape, input);
}

const sentOf = (delivery: BenchDelivery) => ({
  method: "POST",
  url: "https://example.com/webhooks/commercelayer",
  headers: delivery.headers,
  body: delivery.body,
});

/** Both builds must accept the delivery: timing a refusal (a secret the other build reads elsewhere) says nothing. */
async function checkAccepted(name: EntryName, call: Call, delivery: BenchDelivery, root: string): Promise<void> {
  const { shape } = ENTRY_POINTS[name];
  const input = platformInput(shape, sentOf(delivery));
  const { status } = await readAnswer(shape, input, await call(input));
  if (status !== 200) throw new Error(`${name} under ${root} answered ${delivery.label} ${status}, not 200`);
}

/** CPU microseconds per call for `BATCH` calls of one delivery; the inputs are made before the clock starts. */
async function sample(name: EntryName, call: Call, delivery: BenchDelivery): Promise<number> {
  const { shape } = ENTRY_POINTS[name];
  const sent = sentOf(delivery);
  const inputs = Array.from({ length: BATCH }, () => platformInput(shape, sent));
  (globalThis as { gc?: () => void }).gc?.();
  const started = process.cpuUsage();
  for (const input of inputs) await call(input as unknown[]);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / BATCH;
}

export interface Comparison {
  readonly entry: EntryName;
  readonly delivery: string;
  readonly thisMicros: number;
  readonly otherMicros: number;
  /** This build's time over the other's: median of the per-sample ratios. */
  readonly ratio: number;
}

/**
 * Every deployable entry point of the build under `thisRoot` against the one under `otherRoot`, on the benchmarks'
 * deliveries (signed with BENCH_SECRET, which COMMERCELAYER_WEBHOOK_SECRET must hold).
 */
export async function compareBuilds(thisRoot: string, otherRoot: string, samples = SAMPLES): Promise<Comparison[]> {
  const results: Comparison[] = [];
  for (const entry of Object.keys(ENTRY_POINTS) as EntryName[]) {
    const roots = [thisRoot, otherRoot] as const;
    const builds = [await loadEntry(thisRoot, entry), await loadEntry(otherRoot, entry)] as const;
    for (const delivery of benchDeliveries()) {
      for (const [which, call] of builds.entries()) await checkAccepted(entry, call, delivery, roots[which] ?? "");
      for (const call of builds) await sample(entry, call, delivery); // warm up both
      const times: [number[], number[]] = [[], []];
      for (let index = 0; index < samples; index++) {
        const order = index % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const);
        for (const which of order) times[which].push(await sample(entry, builds[which], delivery));
      }
      const [mine, theirs] = times;
      results.push({
        entry,
        delivery: delivery.label,
        thisMicros: Math.round(median(mine) * 10) / 10,
        otherMicros: Math.round(median(theirs) * 10) / 10,
        ratio: ratio(median(mine.map((value, i) => value / (theirs[i] ?? value))), 1),
      });
    }
  }
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const folder = process.argv[2];
  if (folder === undefined || !existsSync(join(folder, "dist"))) {
    console.error("usage: npm run bench:compare -- <folder holding another build's dist/> (see docs/benchmarks.md)");
    process.exit(2);
  }
  const say = console.log.bind(console);
  // The bundles log one JSON line per delivery; here the line is built but not written.
  console.log = () => {};
  process.env.COMMERCELAYER_WEBHOOK_SECRET = BENCH_SECRET;
  await buildBenchBundles();
  const results = await compareBuilds(BENCH_ROOT, resolve(folder));
  say(
    `This checkout against ${folder}, Node ${process.version}: CPU µs per delivery, median of ${SAMPLES} alternating pairs of ${BATCH} calls; × other: median of the per-pair ratios (below 1: this one is faster)`,
  );
  say(
    table(
      ["entry point", "delivery", "this µs", "other µs", "× other"],
      results.map((r) => [r.entry, r.delivery, r.thisMicros, r.otherMicros, r.ratio]),
    ),
  );
}
