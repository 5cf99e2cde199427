// What a run of the suites prints (vitest.config.ts, vitest.handlers.config.ts, vitest.emulators.config.ts): the
// runner's summary and the failures, with the console output of the failing tests only. Everything the tests print
// (the benchmarks' tables, the bundle budgets, the bundles' JSON log lines) is written to a log file under
// .test-build/ instead, named in the summary. VERBOSE=1 prints every test and everything the tests print as it comes.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { stripVTControlCharacters } from "node:util";
import type { UserConsoleLog } from "vitest";
import type { Reporter, TestCase, TestModule, TestSuite, Vitest } from "vitest/node";

export const VERBOSE = process.env.VERBOSE === "1";

function describeEntity(entity: TestCase | TestModule | TestSuite | undefined, root: string): string {
  if (entity === undefined) return "(outside any test)";
  if (entity.type === "module") return relative(root, entity.moduleId);
  return `${relative(root, entity.module.moduleId)} > ${entity.fullName}`;
}

/** Writes every console line of the run to one file, each under the test that printed it, as vitest shows them. */
class ConsoleLogFile implements Reporter {
  private vitest: Vitest | undefined;
  private file = "";
  private lines = 0;

  constructor(private readonly name: string) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
    // Under the folder the run looks for its tests in (`--dir`): a run started from inside a run writes its own file.
    this.file = join(vitest.config.dir || vitest.config.root, ".test-build", this.name);
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, "");
    this.lines = 0;
  }

  onUserConsoleLog(log: UserConsoleLog): void {
    const entity = log.taskId === undefined ? undefined : this.vitest?.state.getReportedEntityById(log.taskId);
    // Colours off: console.table and util.inspect colour what they print when the run's terminal does.
    const text = stripVTControlCharacters(log.content);
    const content = text.endsWith("\n") ? text : `${text}\n`;
    appendFileSync(this.file, `${log.type} | ${describeEntity(entity, this.vitest?.config.root ?? "")}\n${content}\n`);
    this.lines++;
  }

  onTestRunEnd(): void {
    if (this.lines === 0 || this.vitest === undefined) return;
    // Padded like the summary's own labels (" Test Files", "   Duration"), which the reporter before this one printed.
    const shown = relative(process.cwd(), this.file);
    this.vitest.logger.log(`${"Output".padStart(11)}  ${shown} (VERBOSE=1 prints it as the tests run)`);
  }
}

/** The `reporters` and `silent` settings of a vitest config; `logFile` is the file's name under .test-build/. */
export function quietOutput(logFile: string) {
  if (VERBOSE) return { reporters: ["default"], silent: false } as const;
  // "minimal": the summary, and each failing test with its error; nothing for a file whose tests all pass.
  // "passed-only": a test's console output is printed only if it fails (for any reporter given on the command line).
  return { reporters: ["minimal", new ConsoleLogFile(logFile)], silent: "passed-only" } as const;
}
