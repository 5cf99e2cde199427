// A platform's local server (`next start`, `netlify dev`, `wrangler dev`) as the suites run it: the leader of its own
// process group, so stop() ends it and every worker it started; its output kept for the tests to read.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { stripVTControlCharacters } from "node:util";

export interface ServerProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved as they came, without colour codes. */
  output(): string;
  /** Resolves with the exit code (null when ended by a signal). */
  readonly exited: Promise<number | null>;
  /** Waits until the output matches `pattern`; fails with the output if the process ends or `timeoutMs` passes. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** SIGTERM to the group, SIGKILL after 5 s, then SIGKILL to whatever is left in the group. */
  stop(): Promise<void>;
}

export function startServerProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): ServerProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  // Decoded as streams: a character split across two chunks stays whole.
  child.stdout?.setEncoding("utf8").on("data", (text: string) => (log += text));
  child.stderr?.setEncoding("utf8").on("data", (text: string) => (log += text));
  const exited = new Promise<number | null>((resolve) => {
    // A command that cannot start: said in the output, which every failure message shows.
    child.once("error", (error) => {
      log += `\n${String(error)}\n`;
      resolve(null);
    });
    child.once("close", (code) => resolve(code));
  });
  let ended: string | undefined;
  exited.then((code) => (ended = `exited with ${code ?? child.signalCode}`));
  // A run that ends without afterAll (a crash) leaves no server behind.
  const killOnExit = () => signal("SIGKILL");
  process.once("exit", killOnExit);
  function signal(name: NodeJS.Signals): void {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // The group is gone already.
    }
  }
  const output = () => stripVTControlCharacters(log);
  return {
    child,
    output,
    exited,
    async waitForOutput(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output());
        if (match !== null) return match;
        if (ended !== undefined) throw new Error(`${command} ${ended} before ${pattern}:\n${output()}`);
        if (Date.now() > deadline) throw new Error(`${command}: no ${pattern} within ${timeoutMs} ms:\n${output()}`);
        await delay(50);
      }
    },
    async stop() {
      if (ended === undefined) {
        signal("SIGTERM");
        const late = await Promise.race([exited.then(() => false), delay(5_000).then(() => true)]);
        if (late) signal("SIGKILL");
      }
      signal("SIGKILL");
      process.off("exit", killOnExit);
    },
  };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** A loopback port that was free a moment ago: the OS picks it, the probe gives it back. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One POST of `body` (byte for byte) with `headers`, bounded by a timeout. */
export async function postTo(
  url: string,
  delivery: { headers: Record<string, string>; body: Buffer },
): Promise<Answer> {
  const response = await fetch(url, {
    method: "POST",
    headers: delivery.headers,
    body: new Uint8Array(delivery.body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: await response.text() };
}
