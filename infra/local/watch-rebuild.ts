// `npm start` watching: rebuilds the bundles after a change and swaps them in behind the running receiver, one line per
// rebuild. A build that fails is one short line, and the last good build keeps answering.
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Message } from "esbuild";
import { buildBundles, ROOT } from "../build/build.ts";
import type { LocalPlatforms } from "./platforms.ts";

/** A path as the person typed it: relative to the repository when it is inside it. */
export function shownPath(file: string): string {
  const path = relative(ROOT, file);
  return path.startsWith("..") ? file : path;
}

function describeFiles(files: readonly string[]): string {
  const shown = files.map(shownPath).sort();
  return shown.length <= 3 ? shown.join(", ") : `${shown.slice(0, 2).join(", ")} and ${shown.length - 2} more`;
}

function describeMessage(message: Message): string {
  const where = message.location;
  // esbuild counts columns from 0; editors and tsc from 1.
  return where === null ? message.text : `${where.file}:${where.line}:${where.column + 1}: ${message.text}`;
}

/** One line for a failed build: esbuild's first error (and how many more), or the error's own first line. */
export function describeBuildError(error: unknown): string {
  const errors = (error as { errors?: Message[] }).errors;
  if (Array.isArray(errors) && errors.length > 0) {
    const more = errors.length - 1;
    return `${describeMessage(errors[0] as Message)}${more > 0 ? ` (and ${more} more error${more > 1 ? "s" : ""})` : ""}`;
  }
  const { name, message } = error as Error;
  return `${name ?? "Error"}: ${String(message).split("\n")[0]}`;
}

/**
 * The handlers file and everything it imports from the repository, bundled in memory with esbuild's own log silenced:
 * a syntax error or a missing import shows up here as one message. buildBundles would print each error in full once
 * per bundle (its esbuild log goes straight to the terminal), so it only runs once this passes.
 */
export async function findBuildError(handlersFile: string): Promise<string | undefined> {
  try {
    await build({
      absWorkingDir: ROOT,
      entryPoints: [handlersFile],
      bundle: true,
      write: false,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      logLevel: "silent",
    });
    return undefined;
  } catch (error) {
    return describeBuildError(error);
  }
}

export interface Rebuilder {
  /** Rebuilds because `files` changed; changes reported while a rebuild runs make one more rebuild after it. */
  rebuild(files: readonly string[]): void;
  /** Resolves once no rebuild is running. */
  idle(): Promise<void>;
}

export function createRebuilder(options: {
  /** Absolute path of the handlers file served. */
  readonly handlersFile: string;
  /** Absolute path of the external-resource handlers file the deployables are built from. */
  readonly externalFile: string;
  /** The folder whose dist/ is served (the repository for functions/handlers.ts). */
  readonly served: URL;
  readonly platforms: LocalPlatforms;
  /** Runs after each build that was swapped in (npm start's check of the handlers files). */
  readonly afterBuild?: () => void;
}): Rebuilder {
  let running: Promise<void> | undefined;
  let queued = new Set<string>();

  const once = async (files: readonly string[]) => {
    const started = performance.now();
    const because = `(${describeFiles(files)} changed)`;
    const failed = (what: string, problem: string) =>
      console.error(`${what} ${because}: ${problem}; still serving the last good build`);
    const problem = await findBuildError(options.handlersFile);
    if (problem !== undefined) return failed("build failed", problem);
    try {
      await buildBundles({
        declarations: false,
        handlersFile: options.handlersFile,
        externalHandlersFile: options.externalFile,
        outRoot: fileURLToPath(options.served),
      });
    } catch (error) {
      return failed("build failed", describeBuildError(error));
    }
    try {
      await options.platforms.reload(options.served);
    } catch (error) {
      // The handlers file threw while it was imported, say: the bundles built, but cannot serve.
      return failed("the new build did not load", describeBuildError(error));
    }
    console.log(`rebuilt in ${Math.round(performance.now() - started)} ms ${because}`);
    options.afterBuild?.();
  };

  return {
    rebuild(files) {
      for (const file of files) queued.add(file);
      if (running !== undefined || queued.size === 0) return;
      running = (async () => {
        try {
          while (queued.size > 0) {
            const batch = [...queued];
            queued = new Set();
            await once(batch);
          }
        } finally {
          running = undefined;
        }
      })();
    },
    idle: () => running ?? Promise.resolve(),
  };
}
