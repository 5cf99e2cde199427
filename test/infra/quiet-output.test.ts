// `npm test` prints the runner's summary and the failures, nothing of what passing tests print (test/setup/quiet-output.ts).
// Checked through the real vitest CLI and the project's vitest.config.ts, on two test files of this suite's own
// (test/fixtures/quiet-output/, copied into folders of their own so that neither run sees the real suites): one
// passes printing a table and a warning, one fails printing a line. Run once as `npm test` runs, once with VERBOSE=1.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureBuild, ROOT } from "../support/bundles.ts";

const FIXTURES = join(ROOT, "test/fixtures/quiet-output");
const VITEST = join(ROOT, "node_modules/vitest/vitest.mjs");

// What the fixtures print and are called (test/fixtures/quiet-output/*.ts).
const PASSING_TEST = "prints a table and a warning, and passes";
const TABLE_CELL = "/quiet-output-fixture";
const WARNING = "quiet-output fixture: a warning from a passing test";
const FAILING_TEST = "prints a line and fails";
const FAILING_LINE = "quiet-output fixture: a line from a failing test";
const FAILED_ASSERTION = "quiet-output fixture: the failing assertion";

interface Run {
  readonly dir: string;
  readonly code: number;
  readonly output: string;
}

const made: string[] = [];

/** A folder holding the two fixtures as test files, where the config's `test/**\/*.test.ts` finds them and only them. */
function fixtureFolder(): string {
  mkdirSync(join(ROOT, ".test-build"), { recursive: true });
  // Inside the repository, so that the fixtures' `import "vitest"` resolves to its node_modules.
  const dir = mkdtempSync(join(ROOT, ".test-build", "quiet-output-"));
  made.push(dir);
  mkdirSync(join(dir, "test"));
  for (const name of ["passes-with-logs", "fails-with-logs"])
    copyFileSync(join(FIXTURES, `${name}.ts`), join(dir, "test", `${name}.test.ts`));
  return dir;
}

function runVitest(verbose: boolean): Promise<Run> {
  const dir = fixtureFolder();
  // This run's environment, fixture build included (the run inside uses it rather than building its own).
  const { VERBOSE: _verbose, ...env } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [VITEST, "run", "--config", "vitest.config.ts", "--dir", dir],
      { cwd: ROOT, env: { ...env, NO_COLOR: "1", ...(verbose ? { VERBOSE: "1" } : {}) }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ dir, code, output: stripVTControlCharacters(`${stdout}${stderr}`) });
      },
    );
  });
}

let quiet: Run;
let verbose: Run;

beforeAll(async () => {
  [quiet, verbose] = await Promise.all([runVitest(false), runVitest(true)]);
});
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("a run as `npm test` runs it", () => {
  it("prints the failing test with its error and what it printed, and the summary of both files only", () => {
    expect(quiet.code, quiet.output).toBe(1);
    expect(quiet.output).toContain(FAILING_TEST);
    expect(quiet.output).toContain(FAILED_ASSERTION);
    expect(quiet.output).toContain(FAILING_LINE);
    expect(quiet.output).toMatch(/Test Files\s+1 failed \| 1 passed \(2\)/);
    expect(quiet.output).toMatch(/Tests\s+1 failed \| 1 passed \(2\)/);
  });

  it("prints nothing of the passing test: its table and warning are in the log file the summary names", () => {
    expect(quiet.output).not.toContain(PASSING_TEST);
    expect(quiet.output).not.toContain(TABLE_CELL);
    expect(quiet.output).not.toContain(WARNING);
    const logFile = join(quiet.dir, ".test-build", "test-output.log");
    expect(quiet.output).toMatch(/Output\s+\S*test-output\.log \(VERBOSE=1 prints it/);
    const logged = readFileSync(logFile, "utf8");
    expect(logged).toContain(`stdout | ${join(quiet.dir, "test", "passes-with-logs.test.ts").slice(ROOT.length)}`);
    expect(logged).toContain(TABLE_CELL);
    expect(logged).toContain(`stderr | `);
    expect(logged).toContain(WARNING);
    expect(logged).toContain(FAILING_LINE);
  });

  it("runs on this run's fixture build, without building its own, and leaves it in place", () => {
    const logged = readFileSync(join(quiet.dir, ".test-build", "test-output.log"), "utf8");
    expect(logged).toContain(`quiet-output fixture build: ${fixtureBuild()}`);
    expect(existsSync(join(fixtureBuild(), "dist"))).toBe(true);
  });
});

describe("a run with VERBOSE=1", () => {
  it("prints every test and what each one printed, the passing test's table and warning included", () => {
    expect(verbose.code, verbose.output).toBe(1);
    expect(verbose.output).toContain(PASSING_TEST);
    expect(verbose.output).toContain(TABLE_CELL);
    expect(verbose.output).toContain(WARNING);
    expect(verbose.output).toContain(FAILING_LINE);
    expect(verbose.output).toMatch(/Test Files\s+1 failed \| 1 passed \(2\)/);
  });
});
