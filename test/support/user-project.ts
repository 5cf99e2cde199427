// Throwaway projects outside the repository, made the way a user would: copy a factory file and its declarations,
// write a handler file of their own, type-check it with tsc in strict mode.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { ROOT } from "./bundles.ts";

const run = promisify(execFile);

export function createUserProject(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cl-webhooks-${prefix}-`));
}

export function writeProjectFile(project: string, path: string, content: string): void {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), content);
}

/** Copies dist/factories/<platform>/commercelayer-webhook-factory.mjs and its .d.mts into the project, as the README says. */
export function copyFactory(
  project: string,
  platform: "aws-lambda" | "vercel" | "netlify" | "node",
  toDirectory: string,
): void {
  mkdirSync(join(project, toDirectory), { recursive: true });
  for (const file of ["commercelayer-webhook-factory.mjs", "commercelayer-webhook-factory.d.mts"]) {
    copyFileSync(join(ROOT, "dist/factories", platform, file), join(project, toDirectory, file));
  }
}

/** A strict tsconfig with no ambient packages, unless `nodeTypes` lets it see @types/node. */
export function writeStrictTsconfig(project: string, options: { nodeTypes: boolean }): void {
  const compilerOptions = {
    strict: true,
    noEmit: true,
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: ["ES2023", "DOM", "DOM.Iterable"],
    noUncheckedIndexedAccess: true,
    // Only what the project itself brings: no stray @types packages from the machine.
    typeRoots: options.nodeTypes ? [join(ROOT, "node_modules/@types")] : [],
    types: options.nodeTypes ? ["node"] : [],
  };
  writeProjectFile(
    project,
    "tsconfig.json",
    JSON.stringify({ compilerOptions, include: ["**/*.ts", "**/*.mts"] }, null, 2),
  );
  writeProjectFile(
    project,
    "package.json",
    JSON.stringify({ name: "user-project", private: true, type: "module" }, null, 2),
  );
}

/** Runs the repository's tsc on the project; resolves with its output and exit code. */
export async function typeCheck(project: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", project], {
      cwd: project,
    });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}
