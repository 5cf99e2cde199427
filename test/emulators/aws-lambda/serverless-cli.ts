// Runs the Serverless Framework v3 CLI installed in this folder (its own package.json and lockfile, installed by
// `npm run emulators:install`): offline, without AWS credentials, login, telemetry or notifications.
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { request } from "node:http";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fixtureBuild } from "../../support/bundles.ts";

export const EMULATOR_DIR = fileURLToPath(new URL(".", import.meta.url));
export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
/** Started with `node` directly: no npx, no shell, one process group to stop. */
export const SERVERLESS_BIN = join(EMULATOR_DIR, "node_modules", "serverless", "bin", "serverless.js");
/** What serverless.yml deploys: the receiving function (with the SQS hand-off) and the SQS worker. */
export const BUNDLES = ["commercelayer-webhook.mjs", "commercelayer-webhook-worker.mjs"].map((file) =>
  join("dist", "aws-lambda", file),
);
/**
 * What `npm run build` writes from functions/external.ts for serverless.yml: the external-resource bundle (only when
 * the file implements a kind) and the function with its routes that serverless.yml includes (always; `{}` for none).
 */
export const EXTERNAL_BUNDLE = join("dist", "aws-lambda", "commercelayer-external.mjs");
export const EXTERNAL_FUNCTIONS_FILE = join("dist", "aws-lambda", "commercelayer-external.serverless.json");
/** The serverless-offline configuration: the root serverless.yml's provider and functions, plus test-only routes. */
export const OFFLINE_CONFIG = "serverless.offline.yml";

/** Fails early, with the command to run, when the emulator or the (fixture-built) bundles are missing. */
export function assertPrerequisites(): void {
  if (!existsSync(SERVERLESS_BIN)) {
    throw new Error(`serverless is not installed in ${EMULATOR_DIR}: run \`npm run emulators:install\` first`);
  }
  // The fixture build implements every external kind (test/fixtures/external-handlers.ts): both external files exist.
  for (const bundle of [...BUNDLES, EXTERNAL_BUNDLE, EXTERNAL_FUNCTIONS_FILE]) {
    const built = join(fixtureBuild(), bundle);
    if (!existsSync(built)) throw new Error(`${built} is missing: the suites' global setup builds it`);
  }
}

export interface ScratchService {
  /** The service's root: the repository's serverless.yml, and dist/aws-lambda built from the fixture handlers. */
  readonly root: string;
  /** Where serverless.offline.yml is (as test/emulators/aws-lambda is in the repository): serverless-offline's cwd. */
  readonly offlineDir: string;
}

/**
 * A copy of what `serverless deploy` ships, outside the repository: the root serverless.yml exactly as it is, next to
 * the bundles built from the suites' own handlers (test/fixtures/handlers.ts), never the user's functions/handlers.ts,
 * and the external-resource function built from test/fixtures/external-handlers.ts (every kind). `build` takes
 * dist/aws-lambda from another build instead (one from a file implementing some kinds or none: the external bundle is
 * then copied only if that build wrote it, as `npm run build` writes it only for at least one kind).
 * With `offline`, also serverless.offline.yml and the event probe at the same relative place as in the repository (so
 * that its `../../../serverless.yml` and `location: ../../..` point at the copy), with this emulator package's
 * node_modules beside them (the serverless-offline plugin) and the repository's at the root (@aws-sdk/client-sqs,
 * which the Lambda runtime provides on AWS).
 */
export function createScratchService(options: { offline: boolean; build?: string }): ScratchService {
  const build = options.build ?? fixtureBuild();
  const root = mkdtempSync(join(tmpdir(), "cl-sls-service-"));
  copyFileSync(join(ROOT, "serverless.yml"), join(root, "serverless.yml"));
  mkdirSync(join(root, "dist", "aws-lambda"), { recursive: true });
  for (const bundle of [...BUNDLES, EXTERNAL_FUNCTIONS_FILE]) copyFileSync(join(build, bundle), join(root, bundle));
  if (existsSync(join(build, EXTERNAL_BUNDLE))) copyFileSync(join(build, EXTERNAL_BUNDLE), join(root, EXTERNAL_BUNDLE));
  const offlineDir = join(root, "test", "emulators", "aws-lambda");
  if (options.offline) {
    mkdirSync(offlineDir, { recursive: true });
    for (const file of [OFFLINE_CONFIG, "event-probe.mjs"])
      copyFileSync(join(EMULATOR_DIR, file), join(offlineDir, file));
    symlinkSync(join(EMULATOR_DIR, "node_modules"), join(offlineDir, "node_modules"), "dir");
    symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"), "dir");
  }
  return { root, offlineDir };
}

/**
 * The CLI's environment: this process's, without AWS credentials or profiles (every `AWS_*`), without Serverless
 * settings or a receiver configuration of the developer's own, with a throw-away HOME (no ~/.aws, no
 * ~/.serverlessrc), and with telemetry and update notifications off.
 */
export function serverlessEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(AWS_|SLS_|SERVERLESS_|COMMERCELAYER_)/.test(name)) continue;
    env[name] = value;
  }
  return {
    ...env,
    HOME: home,
    USERPROFILE: home,
    SLS_TELEMETRY_DISABLED: "1",
    SLS_NOTIFICATIONS_MODE: "off",
    ...extra,
  };
}

/** Stops a detached child and everything it started: SIGTERM to its process group, SIGKILL after a grace period. */
export async function stopProcessGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
    }
  };
  signal("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), graceMs);
  });
  if ((await Promise.race([exited, late])) === "late") {
    signal("SIGKILL");
    await exited;
  }
  clearTimeout(timer);
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs one CLI command to completion; past `timeoutMs` the process group is killed and the promise rejects. */
export async function runServerless(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CliResult> {
  const started = performance.now();
  const child = spawn(process.execPath, [SERVERLESS_BIN, ...args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  let timer: NodeJS.Timeout | undefined;
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (exitCode) => resolve(exitCode));
      timer = setTimeout(() => {
        void stopProcessGroup(child, 1_000);
        reject(new Error(`serverless ${args.join(" ")} did not finish in ${options.timeoutMs} ms\n${stdout}${stderr}`));
      }, options.timeoutMs);
    });
    return { code, stdout, stderr, ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/** Ports the OS says are free now (all held open together, so they differ from each other). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
      const address = server.address();
      if (address === null || typeof address === "string") throw new Error("no TCP address for a free port");
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

export interface OfflineServer {
  readonly baseUrl: string;
  /** serverless-offline's Lambda Invoke API (POST /2015-03-31/functions/<name>/invocations). */
  readonly lambdaUrl: string;
  /** Milliseconds from spawn to the readiness line. */
  readonly startMs: number;
  /** Everything the process wrote to stdout so far (the function's own log lines go there). */
  stdout(): string;
  /** Everything it wrote to stderr so far (serverless-offline's own lines: the routes, each request). */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * `serverless offline` on free ports, resolved once it prints `Server ready:` (on stderr). If that line does not come
 * within `readyTimeoutMs`, or the process exits first, the process group is stopped and the promise rejects with
 * everything the process printed.
 */
export async function startOffline(options: {
  /** The folder serverless.offline.yml is in (ScratchService.offlineDir). */
  cwd: string;
  home: string;
  env: Record<string, string>;
  readyTimeoutMs: number;
}): Promise<OfflineServer> {
  const [httpPort, lambdaPort] = await freePorts(2);
  if (httpPort === undefined || lambdaPort === undefined) throw new Error("could not find two free ports");
  const args = [
    SERVERLESS_BIN,
    "offline",
    "--config",
    OFFLINE_CONFIG,
    "--host",
    "127.0.0.1",
    "--httpPort",
    String(httpPort),
    "--lambdaPort",
    String(lambdaPort),
    "--noSponsor",
  ];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: serverlessEnv(options.home, options.env),
    // Its own process group, so that stop() also ends anything serverless-offline started.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8");
  // Safety net if the test run itself ends without afterAll (a crash, Ctrl-C): never leave the emulator behind.
  const killOnExit = () => {
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.once("exit", killOnExit);
  const stop = async () => {
    await stopProcessGroup(child);
    process.off("exit", killOnExit);
  };

  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) =>
        reject(new Error(`serverless offline ${why}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
      child.stderr.on("data", (text: string) => {
        stderr += text;
        if (stderr.includes("Server ready:")) resolve();
      });
      child.once("error", (error) => fail(`could not start: ${error.message}`));
      child.once("exit", (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
      timer = setTimeout(
        () => fail(`printed no "Server ready:" line in ${options.readyTimeoutMs} ms`),
        options.readyTimeoutMs,
      );
    });
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return {
    baseUrl: `http://127.0.0.1:${httpPort}`,
    lambdaUrl: `http://127.0.0.1:${lambdaPort}`,
    startMs: Math.round(performance.now() - started),
    stdout: () => stdout,
    stderr: () => stderr,
    stop,
  };
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/**
 * One HTTP request with node:http rather than fetch: header names go out with the case given, and a header given
 * twice goes out as two header lines, as some senders do.
 */
export function send(
  url: string,
  options: { method?: string; headers?: ReadonlyArray<readonly [string, string]>; body?: Buffer } = {},
): Promise<HttpAnswer> {
  // Given as a list, headers go out exactly as listed: Host and Content-Length are not added for us.
  const rawHeaders = ["Host", new URL(url).host, ...(options.headers ?? []).flat()];
  if (options.body !== undefined) rawHeaders.push("Content-Length", String(options.body.byteLength));
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "POST", headers: rawHeaders, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url} in 15 s`)));
    req.on("error", reject);
    req.end(options.body);
  });
}
