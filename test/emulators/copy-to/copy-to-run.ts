// What every copy-to suite does to the project it made with the project's own tools: `npm run copy-to` as a user
// runs it (a dry run first, on the fresh project; then the run; then a re-run), the file trees before and after each,
// and the deliveries the served project must answer: a signed one handled by the command's stub, a forged one refused.
// The command builds dist/ itself when its factory files are missing or stale, as it does for a user.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect } from "vitest";
import { type SignedDelivery, signedDelivery } from "../../support/deliveries.ts";
import { waitForJsonLine } from "../../support/log-lines.ts";
import type { Answer } from "../server-process.ts";

export const EMULATOR_DIR = fileURLToPath(new URL(".", import.meta.url));
export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
/** This package's node_modules: create-next-app, and what the Express app installs. */
export const EMULATOR_MODULES = join(EMULATOR_DIR, "node_modules");
const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs");
const COPY_TO = join(ROOT, "infra/copy-to/copy-to.ts");

/** Fails with the fix when this package (or another emulator package a suite borrows from) is not installed. */
export function requireInstalled(...paths: string[]): void {
  for (const path of [join(EMULATOR_MODULES, "create-next-app/package.json"), ...paths]) {
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run emulators:install\``);
  }
}

export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run copy-to -- <project> <args>`: the command's script run as the script line runs it, from the template. */
export async function copyTo(project: string, args: readonly string[] = []): Promise<CommandRun> {
  return run(process.execPath, [TSX, COPY_TO, project, ...args], { cwd: ROOT, timeoutMs: 120_000 });
}

/** One command to completion, its exit code and output (a non-zero exit is a result, not a throw). */
export async function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CommandRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      timeout: options.timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string; message: string };
    if (typeof failed.code !== "number") throw new Error(`${command} ${args.join(" ")}: ${failed.message}`);
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

const NOT_THE_PROJECTS = new Set(["node_modules", ".next", ".netlify", ".serverless"]);

/** Every file of the project (not its installed packages or build output), by path, as a hash of its bytes. */
export function fileTree(project: string): Record<string, string> {
  const tree: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (NOT_THE_PROJECTS.has(name)) continue;
      const path = join(dir, name);
      if (lstatSync(path).isDirectory()) walk(path);
      else tree[relative(project, path)] = createHash("sha256").update(readFileSync(path)).digest("hex");
    }
  };
  walk(project);
  return tree;
}

/** What the command printed for `file`: its action word (write, unchanged, keep, ...) in the plan's table. */
export function actionFor(output: string, file: string): string | undefined {
  for (const line of output.split("\n")) {
    const [action, path] = line.trim().split(/\s{2,}/);
    if (path === file) return action?.replace(/^would /, "");
  }
  return undefined;
}

export interface CopyToRecord {
  readonly project: string;
  /** The project's files before anything ran, and after the dry run. */
  readonly fresh: Record<string, string>;
  readonly afterDryRun: Record<string, string>;
  readonly dryRun: CommandRun;
  readonly first: CommandRun;
  readonly handlerAfterFirst: Buffer;
  readonly rerun: CommandRun;
  readonly handlerAfterRerun: Buffer;
  readonly afterRerun: Record<string, string>;
  readonly afterFirst: Record<string, string>;
}

/** The dry run, the run and the re-run, with the same arguments, on a project no copy-to has touched yet. */
export async function copyToThreeTimes(
  project: string,
  handlerFile: string,
  args: readonly string[] = [],
): Promise<CopyToRecord> {
  const fresh = fileTree(project);
  const dryRun = await copyTo(project, [...args, "--dry-run"]);
  const afterDryRun = fileTree(project);
  const first = await copyTo(project, args);
  if (first.code !== 0) throw new Error(`copy-to exited with ${first.code}:\n${first.stdout}${first.stderr}`);
  const afterFirst = fileTree(project);
  const handlerAfterFirst = readFileSync(join(project, handlerFile));
  const rerun = await copyTo(project, args);
  return {
    project,
    fresh,
    afterDryRun,
    dryRun,
    first,
    handlerAfterFirst,
    rerun,
    handlerAfterRerun: readFileSync(join(project, handlerFile)),
    afterRerun: fileTree(project),
    afterFirst,
  };
}

export interface ExpectedCopy {
  /** PROJECT_KINDS' description of the kind the command must detect (with ", CommonJS" for a CommonJS project). */
  readonly detected: string;
  readonly libDir: string;
  readonly handlerFile: string;
  readonly envExample: string;
  /** The copied files' module system: .mjs and .d.mts (default), or .cjs and .d.cts for a CommonJS project. */
  readonly flavour?: "esm" | "cjs";
  /** Other files the command copies and keeps up to date (queue, store, external factory, with their declarations). */
  readonly alsoCopied?: readonly string[];
  /** Other files it writes once for the user (a worker, an external-resource route). */
  readonly alsoYours?: readonly string[];
}

/** The command's own promises, on the record of copyToThreeTimes. */
export function expectCopyToKeptItsWord(record: CopyToRecord, expected: ExpectedCopy): void {
  const [code, types] = expected.flavour === "cjs" ? [".cjs", ".d.cts"] : [".mjs", ".d.mts"];
  const copied = [
    `${expected.libDir}/commercelayer-webhook-factory${code}`,
    `${expected.libDir}/commercelayer-webhook-factory${types}`,
    ...(expected.alsoCopied ?? []),
  ];
  const yours = [expected.handlerFile, ...(expected.alsoYours ?? [])];
  const written = [...copied, ...yours];

  // The dry run: the plan and the handler file it would write, and not a byte on disk.
  expect(record.dryRun.code, record.dryRun.stderr).toBe(0);
  expect(record.dryRun.stdout).toContain(`: ${expected.detected} (dry run: nothing is written)`);
  for (const file of written) expect(actionFor(record.dryRun.stdout, file), file).toBe("write");
  expect(record.dryRun.stdout).toContain(`--- ${expected.handlerFile}\n`);
  expect(record.afterDryRun).toEqual(record.fresh);

  // The run: exactly these files are new, nothing of the project's own changed.
  expect(record.first.stdout).toContain(`: ${expected.detected}\n`);
  for (const file of written) expect(actionFor(record.first.stdout, file), file).toBe("write");
  expect(actionFor(record.first.stdout, expected.envExample)).toBe("add");
  const added = Object.keys(record.afterFirst).filter((file) => !(file in record.fresh));
  expect(added.sort()).toEqual(
    [...written, ...(expected.envExample in record.fresh ? [] : [expected.envExample])].sort(),
  );
  for (const [file, hash] of Object.entries(record.fresh)) {
    if (file !== expected.envExample) expect(record.afterFirst[file], file).toBe(hash);
  }
  expect(readFileSync(join(record.project, expected.envExample), "utf8")).toMatch(/^COMMERCELAYER_WEBHOOK_SECRET=$/m);

  // The re-run: the copied files are the same, the user's files are theirs and left alone, byte for byte.
  expect(record.rerun.code, record.rerun.stderr).toBe(0);
  for (const file of copied) expect(actionFor(record.rerun.stdout, file), file).toBe("unchanged");
  for (const file of yours) expect(actionFor(record.rerun.stdout, file), file).toBe("keep");
  expect(actionFor(record.rerun.stdout, expected.envExample)).toBe("present");
  expect(record.rerun.stdout).not.toContain("not added");
  expect(record.handlerAfterRerun.equals(record.handlerAfterFirst)).toBe(true);
  expect(record.afterRerun).toEqual(record.afterFirst);
}

/** The lines the command printed under `marker` (its "Next:" steps), up to the first line `until` matches. */
export function printedBlock(output: string, marker: string, until: RegExp): string[] {
  const lines = output.split("\n");
  const start = lines.findIndex((line) => line.includes(marker));
  if (start < 0) throw new Error(`the command printed no "${marker}":\n${output}`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => until.test(line));
  return end < 0 ? rest : rest.slice(0, end);
}

export interface ServedProject {
  post(delivery: SignedDelivery): Promise<Answer>;
  /** Everything the server printed so far: the stub handler's console.log lands there. */
  output(): string;
}

/**
 * A signed orders.place: 200 handled, and the stub the command wrote logged `{"msg":"orders.place","id":...}`.
 * Resolves with where in the output the delivery's lines start.
 */
export async function expectHandledByStub(served: ServedProject): Promise<number> {
  const delivery = signedDelivery("orders.place");
  const { data } = JSON.parse(delivery.body.toString("utf8")) as { data: { id: string } };
  const since = served.output().length;
  const answer = await served.post(delivery);
  expect(answer).toEqual({ status: 200, body: '{"received":true,"outcome":"handled"}' });
  const line = await waitForJsonLine(
    () => served.output().slice(since),
    (entry) => entry.msg === "orders.place",
  );
  expect(line).toEqual({ msg: "orders.place", id: data.id });
  return since;
}

/** The same delivery signed with another secret: 401, and the stub did not run. */
export async function expectForgedRefused(served: ServedProject): Promise<void> {
  const since = served.output().length;
  const answer = await served.post(signedDelivery("orders.place", { secret: "not-the-secret" }));
  expect(answer).toEqual({ status: 401, body: '{"error":"invalid_signature"}' });
  expect(served.output().slice(since)).not.toContain('{"msg":"orders.place"');
}
