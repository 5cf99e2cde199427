// Small HTTP helpers for the suites: servers on loopback, requests whose body arrives in many small chunks, child
// processes that print a readiness line.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export async function listenOnLoopback(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

/**
 * Sends a request whose body is written `chunkSize` bytes at a time with a pause between writes, so the server sees
 * many `data` events, multi-byte characters split across them. No Content-Length: the body is chunk-encoded.
 */
export function sendInChunks(
  url: string,
  options: {
    method?: string;
    headers: Record<string, string>;
    body: Buffer;
    chunkSize: number;
    contentLength?: boolean;
  },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers = { ...options.headers };
    if (options.contentLength) headers["content-length"] = String(options.body.length);
    const req = request(url, { method: options.method ?? "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    let offset = 0;
    const writeNext = () => {
      if (offset >= options.body.length) {
        req.end();
        return;
      }
      req.write(options.body.subarray(offset, offset + options.chunkSize));
      offset += options.chunkSize;
      setImmediate(writeNext);
    };
    writeNext();
  });
}

export async function post(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  method = "POST",
): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method,
    headers,
    ...(method === "GET" || method === "HEAD" ? {} : { body: new Uint8Array(body) }),
  });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

/** Starts a child process and resolves once `ready` matches its output (stdout or stderr), with what it captured. */
export async function startProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number },
): Promise<{ child: ChildProcess; match: RegExpMatchArray; output: () => string; stop: () => Promise<void> }> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  const stop = async () => {
    if (hasExited() || child.pid === undefined) return;
    signalGroup("SIGTERM");
    const timer = setTimeout(() => signalGroup("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(
        new Error(
          `${command} did not print ${options.ready} within ${options.timeoutMs ?? 30_000} ms:\n${output.slice(-2000)}`,
        ),
      );
    }, options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const found = output.match(options.ready);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready:\n${output.slice(-2000)}`));
    });
  });
  return { child, match, output: () => output, stop };
}
