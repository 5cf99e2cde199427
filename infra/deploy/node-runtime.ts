// The Node.js the deployed functions run on, told apart from the Node.js that runs the deploy. Each platform's config
// pins the functions' runtime (netlify.toml, serverless.yml, infra/build/vercel-output.ts): without a pin, Netlify
// packages functions for the Node.js that ran the build, so a deploy from an old local Node would ship that Node.
// The scripts refuse a missing or older pin, and say in one line when they run on an older Node than they deploy.
import { readFileSync } from "node:fs";
import { stop } from "./preflight.ts";

/** The oldest Node.js major the functions may run on: 20 is end of life, and AWS no longer creates nodejs20.x functions. */
export const MINIMUM_NODE_MAJOR = 22;

/** The runtime a pin should name, in the fix the scripts print. */
export const RECOMMENDED_RUNTIME = `nodejs${MINIMUM_NODE_MAJOR}.x`;

/** The major version of a Lambda-style runtime name (`nodejs22.x` → 22), or undefined for anything else. */
export function runtimeMajor(runtime: string): number | undefined {
  const match = /^nodejs(\d+)\.x$/.exec(runtime);
  return match ? Number(match[1]) : undefined;
}

export interface RuntimePin {
  /** The pinned runtime, or undefined when the file pins none. */
  readonly runtime: string | undefined;
  /** The file that pins it, as the user opens it. */
  readonly file: string;
  /** The setting to write there, with the value (`AWS_LAMBDA_JS_RUNTIME = "nodejs22.x" under [build.environment]`). */
  readonly fix: string;
}

/** A pin that names a runtime: what requireRuntimePin lets through. */
export type PinnedRuntime = RuntimePin & { readonly runtime: string };

/** Stops when the config pins no runtime, or one older than Node 22; returns the pin. */
export function requireRuntimePin(pin: RuntimePin): PinnedRuntime {
  const major = pin.runtime === undefined ? undefined : runtimeMajor(pin.runtime);
  if (pin.runtime === undefined || major === undefined || major < MINIMUM_NODE_MAJOR) {
    const found = pin.runtime === undefined ? "pins no function runtime" : `pins the functions to ${pin.runtime}`;
    stop(`${pin.file} ${found}: set ${pin.fix}, so they run on Node ${MINIMUM_NODE_MAJOR} or later`);
  }
  return { ...pin, runtime: pin.runtime };
}

/**
 * One line on stderr when the Node.js running the deploy is older than Node 22: the functions still get the pinned
 * runtime, but the build and the checks ran on another Node than the one that will run them.
 */
export function sayWhenLocalNodeIsOlder(script: string, pin: PinnedRuntime): void {
  const local = process.versions.node;
  if (Number(local.split(".")[0]) >= MINIMUM_NODE_MAJOR) return;
  console.error(
    `${script}: Node ${local} runs this deploy (end of life); the functions run ${pin.runtime}, pinned in ${pin.file}. Use Node ${MINIMUM_NODE_MAJOR}+ here too (nvm use ${MINIMUM_NODE_MAJOR})`,
  );
}

/** The first value of `pattern` (its first group) in a config file, or undefined. */
export function readPinnedValue(path: string, pattern: RegExp): string | undefined {
  return pattern.exec(readFileSync(path, "utf8"))?.[1];
}
