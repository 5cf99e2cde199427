// Runs the Serverless Framework v3 CLI installed in this folder (its own package.json and lockfile, installed by
// `npm run emulators:install`): offline, without AWS credentials, login, telemetry or notifications.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { request } from "node:http";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const EMULATOR_DIR = fileURLToPath(new URL(".", import.meta.url));
export const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
/** Started with `node` directly: no npx, no shell, one process group to stop. */
export const SERVERLESS_BIN = join(EMULATOR_DIR, "node_modules", "serverless", "bin", "serverless.js");
/** What serverless.yml and serverless.offline.yml serve: the queued pair, and the direct bundle (test-only REST route). */
export const BUNDLES = [
  "commercelayer-webhook-queued.mjs",
  "commercelayer-webhook-worker.mjs",
  "commercelayer-webhook.mjs",
].map((file) => join(ROOT, "dist", "aws-lambda", file));
/** The serverless-offline configuration: the root serverless.yml's provider and functions, plus test-only routes. */
export const OFFLINE_CONFIG = "serverless.offline.yml";

/** Fails early, with the command to run, when the emulator or the bundle is missing. */
export function assertPrerequisites(): void {
  if (!existsSync(SERVERLESS_BIN)) {
    throw new Error(`serverless is not installed in ${EMULATOR_DIR}: run \`npm run emulators:install\` first`);
  }
  for (const bundle of BUNDLES)
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
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
  /** Milliseconds from spawn to the readiness line. */
  readonly startMs: number;
  /** Everything the process wrote to stdout so far (the function's own log lines go there). */
  stdout(): string;
  stop(): Promise<void>;
}

/**
 * `serverless offline` on free ports, resolved once it prints `Server ready:` (on stderr). If that line does not come
 * within `readyTimeoutMs`, or the process exits first, the process group is stopped and the promise rejects with
 * everything the process printed.
 */
export async function startOffline(options: {
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
    cwd: EMULATOR_DIR,
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
    startMs: Math.round(performance.now() - started),
    stdout: () => stdout,
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
