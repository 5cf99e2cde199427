// Drives the netlify-cli of the emulator package (test/emulators/netlify, installed by `npm run emulators:install`):
// runs one command to completion, or starts `netlify functions:serve --offline` and stops it again.
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { inflateRawSync } from "node:zlib";
import { fixtureBuild } from "../../../support/bundles.ts";

export const ROOT = resolve(fileURLToPath(new URL("../../../..", import.meta.url)));
export const CLI = join(ROOT, "test/emulators/netlify/node_modules/netlify-cli/bin/run.js");

export const V2_FUNCTION = "commercelayer-webhook";
export const LEGACY_FUNCTION = "commercelayer-webhook-legacy";
export const WORKER_FUNCTION = "commercelayer-webhook-worker-background";
/** The webhook functions netlify.toml deploys, whatever functions/external.ts implements. */
export const FUNCTIONS = [V2_FUNCTION, LEGACY_FUNCTION, WORKER_FUNCTION] as const;
/**
 * The external-resource function (v2): in dist/netlify only when functions/external.ts implements a kind. The fixture
 * build implements all ten (test/fixtures/external-handlers.ts), so its dist/netlify holds it beside the webhook ones.
 */
export const EXTERNAL_FUNCTION = "commercelayer-external";

/**
 * A function's bundle as the suites deploy it: built from their own handlers (test/fixtures/handlers.ts) by the global
 * setup, never the dist/ of functions/handlers.ts; or from `build`, another folder buildBundles wrote into.
 */
export function bundle(name: (typeof FUNCTIONS)[number] | typeof EXTERNAL_FUNCTION, build = fixtureBuild()): string {
  return join(build, "dist/netlify", `${name}.mjs`);
}

/** Fails with the fix when the emulator package or the bundles are missing. */
export function requireCliAndBundles(): void {
  if (!existsSync(CLI)) throw new Error(`netlify-cli is not installed (${CLI}): run \`npm run emulators:install\``);
  for (const name of FUNCTIONS) {
    if (!existsSync(bundle(name))) throw new Error(`${bundle(name)} is missing: the suites' global setup builds it`);
  }
}

/**
 * The site as the repository deploys it, in a temporary folder: its netlify.toml and static page, and in netlify.toml's
 * functions directory (dist/netlify) every file of a build's dist/netlify, as Netlify deploys every script there: the
 * fixture build's (the suites' own handlers, every external kind) unless `build` names another. Returns the site.
 */
export function createScratchSite(
  root: string = mkdtempSync(join(tmpdir(), "netlify-site-")),
  build: string = fixtureBuild(),
): string {
  mkdirSync(join(root, "dist/netlify"), { recursive: true });
  copyFileSync(join(ROOT, "netlify.toml"), join(root, "netlify.toml"));
  cpSync(join(ROOT, "infra/deploy/netlify-site"), join(root, "infra/deploy/netlify-site"), { recursive: true });
  writeFileSync(join(root, "package.json"), '{ "private": true, "type": "module" }\n');
  for (const file of readdirSync(join(build, "dist/netlify"))) {
    copyFileSync(join(build, "dist/netlify", file), join(root, "dist/netlify", file));
  }
  return root;
}

/**
 * The whole environment of a netlify-cli process, built from scratch: nothing of the developer's shell (a Netlify
 * token or site id, COMMERCELAYER_* values, NODE_OPTIONS) reaches it. HOME is a temporary folder because netlify-cli
 * writes ~/.config/netlify; CI=true turns off its telemetry and prompts.
 */
export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: [dirname(process.execPath), process.env.PATH ?? ""].join(delimiter),
    HOME: home,
    ...(process.env.TMPDIR === undefined ? {} : { TMPDIR: process.env.TMPDIR }),
    CI: "true",
    FORCE_COLOR: "0",
    NO_COLOR: "1",
    ...extra,
  };
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout so far (netlify-cli's messages and the functions' logs), without colour codes. */
  output(): string;
  /** Everything written to stderr so far, without colour codes. */
  errors(): string;
  /** The last lines of stdout and stderr, for error messages. */
  diagnostics(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

function startCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): CliProcess {
  // node + run.js directly, never npx: killing npx leaves its children holding the port. `detached` puts the CLI and
  // everything it starts into their own process group, which stop() kills as a whole.
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Safety net for a test run that ends without afterAll (a crash, process.exit): never leave a server behind.
  const killOnExit = () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  };
  process.once("exit", killOnExit);
  // Decoded as streams (a character split across two chunks stays whole) and kept apart (no interleaved lines).
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolveExit, rejectExit) => {
    child.once("error", rejectExit);
    child.once("close", (code) => {
      process.removeListener("exit", killOnExit);
      resolveExit(code);
    });
  });
  return {
    child,
    output: () => stripVTControlCharacters(stdout),
    errors: () => stripVTControlCharacters(stderr),
    diagnostics: () => stripVTControlCharacters(`${tail(stdout)}\n-- stderr --\n${tail(stderr)}`),
    exited,
  };
}

async function killGroup(cli: CliProcess, graceMs = 5_000): Promise<void> {
  const { pid } = cli.child;
  if (pid === undefined || cli.child.exitCode !== null || cli.child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup("SIGTERM");
  const stopped = await Promise.race([cli.exited.then(() => true), delay(graceMs).then(() => false)]);
  signalGroup("SIGKILL");
  if (!stopped) await Promise.race([cli.exited, delay(graceMs)]);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolveDelay) => setTimeout(resolveDelay, ms).unref());
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/**
 * Runs `netlify <args>` to completion and gives its stdout then stderr; a run that outlives `timeoutMs` is killed and
 * reported with its output.
 */
export async function runCli(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ code: number | null; output: string }> {
  const cli = startCli(args, options.cwd, options.env);
  const code = await Promise.race([cli.exited, delay(options.timeoutMs).then(() => "timeout" as const)]);
  if (code === "timeout") {
    await killGroup(cli);
    throw new Error(
      `netlify ${args.join(" ")} did not finish in ${options.timeoutMs} ms; output:\n${cli.diagnostics()}`,
    );
  }
  return { code, output: `${cli.output()}\n${cli.errors()}` };
}

/** A port that was free a moment ago: the OS picks it, the probe server gives it back. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const probe = createServer();
    probe.once("error", rejectPort);
    probe.listen(0, () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address !== null
          ? resolvePort(address.port)
          : rejectPort(new Error("no port from listen(0)")),
      );
    });
  });
}

/** The receivers' own log lines: one per webhook delivery, one per external-resource call. */
export const WEBHOOK_LOG = "commercelayer webhook";
export const EXTERNAL_LOG = "commercelayer external";

/** The receiver's log lines (`{"level":...,"msg":"commercelayer webhook",...}`, or `message`) written in `text`. */
export function deliveryLogs(text: string, message: string = WEBHOOK_LOG): Record<string, unknown>[] {
  const entries: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    const start = line.indexOf('{"level"');
    if (start < 0) continue;
    try {
      const entry = JSON.parse(line.slice(start)) as Record<string, unknown>;
      if (entry.msg === message) entries.push(entry);
    } catch {
      // Not one of ours.
    }
  }
  return entries;
}

/** The functions netlify-cli reported as loaded (`⬥ Loaded function <name>`, one line each) in `text`. */
export function loadedFunctions(text: string): string[] {
  return [...text.matchAll(/^⬥ Loaded function (\S+)\s*$/gm)].map((match) => match[1] ?? "");
}

export interface FunctionsServer {
  readonly url: string;
  output(): string;
  /**
   * Waits (bounded) for a log line of the receiver (`message`: a webhook delivery's unless told) written after `since`
   * (an output length) that `matches`.
   */
  waitForLog(
    since: number,
    matches: (entry: Record<string, unknown>) => boolean,
    message?: string,
  ): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/**
 * Starts `netlify functions:serve --offline` in `cwd` (it reads that folder's netlify.toml) and resolves once every
 * function in `functions` is registered. The port opens, and "Local dev server ready" prints, a little before v2
 * functions are registered, so readiness is the `⬥ Loaded function <name>` line of each (anchored: the -legacy
 * function's name starts with the other's).
 */
export async function startFunctionsServe(options: {
  cwd: string;
  env: NodeJS.ProcessEnv;
  functions: readonly string[];
  timeoutMs?: number;
}): Promise<FunctionsServer> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const port = await freePort();
  const cli = startCli(["functions:serve", "--offline", "--port", String(port)], options.cwd, options.env);
  const loaded = () => {
    const names = new Set(loadedFunctions(cli.output()));
    return options.functions.every((name) => names.has(name));
  };
  const deadline = Date.now() + timeoutMs;
  const ended: { how?: string } = {};
  cli.exited.then(
    (code) => {
      ended.how = `exited with code ${code}`;
    },
    (error: unknown) => {
      ended.how = `could not start: ${String(error)}`;
    },
  );
  while (!loaded()) {
    if (ended.how !== undefined) {
      throw new Error(`netlify functions:serve ${ended.how} before loading its functions:\n${cli.diagnostics()}`);
    }
    if (Date.now() > deadline) {
      await killGroup(cli);
      throw new Error(
        `netlify functions:serve did not load ${options.functions.join(", ")} within ${timeoutMs} ms:\n${cli.diagnostics()}`,
      );
    }
    await delay(50);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    output: cli.output,
    async waitForLog(since, matches, message = WEBHOOK_LOG) {
      const logDeadline = Date.now() + 10_000;
      for (;;) {
        const found = deliveryLogs(cli.output().slice(since), message).find(matches);
        if (found !== undefined) return found;
        if (Date.now() > logDeadline) {
          throw new Error(
            `no matching "${message}" log line within 10 s; output since:\n${tail(cli.output().slice(since))}`,
          );
        }
        await delay(25);
      }
    },
    stop: () => killGroup(cli),
  };
}

/**
 * What netlify-cli answers itself (404, plain text) for a URL no function is routed to: the answer to a path Netlify
 * does not route to our function, where the function's own 404 would be a JSON document and a log line.
 */
export const NETLIFY_NOT_FOUND = "Function not found...";

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** One request, bounded by a timeout; the body goes out byte for byte. */
export async function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: Uint8Array } = {},
): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: init.method ?? "POST",
    headers: init.headers ?? {},
    // A copy typed over a plain ArrayBuffer, as BodyInit wants; the bytes are the same.
    ...(init.body === undefined ? {} : { body: new Uint8Array(init.body) }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The entries of a .zip file (stored or deflated, no ZIP64), by name. Enough to look inside Netlify's packages. */
export function readZip(zip: Buffer): Map<string, Buffer> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error("not a zip file: no end of central directory");
  const count = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let index = 0; index < count; index++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory entry at ${offset}`);
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const size = zip.readUInt32LE(offset + 24);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString("utf8", offset + 46, offset + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const stored = zip.subarray(start, start + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`${name}: unsupported compression method ${method}`);
    const data = method === 0 ? Buffer.from(stored) : inflateRawSync(stored);
    if (data.length !== size) throw new Error(`${name}: ${data.length} bytes instead of ${size}`);
    entries.set(name, data);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
