// Serving one module worker in a real edge runtime on loopback, so the emulator suites (test/emulators/edge/) and the
// benchmarks can send it HTTP requests: Vercel's edge runtime (the `edge-runtime` VM that `vercel dev` runs edge
// functions in), workerd (Cloudflare's runtime, through miniflare, without nodejs_compat), Deno and Bun.
//
// The script is one self-contained ES module whose default export is a module worker, `{ fetch(request, env, ctx) }`,
// with no top-level await (Vercel's VM runs it as a classic script): workerd serves it as it is; a few lines written
// next to it serve it on the others (Deno.serve, Bun.serve, the VM's fetch listener). The runtimes are the packages of
// test/emulators/edge/ (`npm run emulators:install`), linux-x64 only; Bun's x64 build needs a CPU with AVX2.
//
//   const runtime = await startEdgeRuntime("deno", "/tmp/worker.mjs", { env: { COMMERCELAYER_WEBHOOK_SECRET: "s" } });
//   await fetch(runtime.url, { method: "POST", body }); runtime.lines(); await runtime.stop();
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { transformSync } from "esbuild";

export type EdgeRuntimeName = "edge-runtime" | "workerd" | "deno" | "bun";

export const EDGE_RUNTIME_NAMES: readonly EdgeRuntimeName[] = ["edge-runtime", "workerd", "deno", "bun"];

/** The node_modules the runtimes are installed in: `EDGE_RUNTIMES_DIR`, or test/emulators/edge/node_modules. */
export const EDGE_RUNTIMES_DIR = resolve(
  process.env.EDGE_RUNTIMES_DIR ?? fileURLToPath(new URL("../../test/emulators/edge/node_modules", import.meta.url)),
);

/** workerd's compatibility date: one the installed workerd (miniflare 4.20260730) supports; no compatibility flags. */
export const WORKERD_COMPATIBILITY_DATE = "2026-07-01";

export interface EdgeRuntimeOptions {
  /**
   * Variables for the script: its Worker env (fetch's second argument) on every runtime, and also its process.env on
   * those that have one (all but workerd, where a Worker's configuration lives in its env bindings only).
   */
  readonly env?: Readonly<Record<string, string>>;
  /** How long the runtime may take to start listening; default 30 s. */
  readonly startTimeoutMs?: number;
}

export interface RunningEdgeRuntime {
  /** `http://127.0.0.1:<port>/`, a port the OS chose. */
  readonly url: string;
  /** The complete lines the script has printed to stdout so far (console.log), in order. */
  lines(): string[];
  /** Stops the runtime (its whole process group) and removes its files. Also done if this process exits first. */
  stop(): Promise<void>;
}

/** Where an installed file is, or an error saying how to install it. */
function installed(runtime: EdgeRuntimeName, relativePath: string): string {
  const path = join(EDGE_RUNTIMES_DIR, relativePath);
  if (!existsSync(path)) {
    throw new Error(`${runtime}: ${path} is not installed: run npm run emulators:install (linux-x64 only)`);
  }
  return path;
}

interface Launch {
  readonly command: string;
  readonly args: readonly string[];
  /** The serving file, written into the runtime's own folder. */
  readonly wrapper: string;
}

// Every wrapper prints `ready <url>` on stderr once listening (stdout is the script's own) and exits when its stdin
// closes: the parent holds the other end, so a test run that dies without stopping it still takes it down.
const READY = /^ready (http:\/\/\S+)$/m;

// What the script gets as `ctx`: nothing outlives the response here, so waitUntil only keeps a rejection quiet.
const CONTEXT_SOURCE =
  "{ waitUntil: (promise) => void Promise.resolve(promise).catch(() => {}), passThroughOnException() {} }";

function launchOf(name: EdgeRuntimeName, script: string, folder: string, env: Record<string, string>): Launch {
  const scriptUrl = JSON.stringify(pathToFileURL(script).href);
  const envSource = JSON.stringify(env);
  switch (name) {
    case "edge-runtime": {
      // The VM evaluates classic scripts only: the module becomes one (its exports an object) with a fetch listener,
      // and the VM gets process.env as `vercel dev` gives it (Vercel's edge functions read their variables there).
      const classic = join(folder, "worker.classic.js");
      const code = transformSync(readFileSync(script, "utf8"), { format: "iife", globalName: "__worker" }).code;
      const listener = `addEventListener("fetch", (event) =>
  event.respondWith(__worker.default.fetch(event.request, ${envSource}, ${CONTEXT_SOURCE})));`;
      writeFileSync(classic, `${code}\n${listener}\n`);
      const entry = pathToFileURL(installed(name, "edge-runtime/dist/index.js")).href;
      return {
        command: process.execPath,
        args: [],
        wrapper: `import { readFileSync } from "node:fs";
const { EdgeRuntime, runServer } = await import(${JSON.stringify(entry)});
const runtime = new EdgeRuntime({
  initialCode: readFileSync(${JSON.stringify(classic)}, "utf8"),
  extend: (context) => Object.assign(context, { process: { env: process.env } }),
});
const server = await runServer({ runtime, host: "127.0.0.1", port: 0 });
console.error(\`ready \${server.url}\`);
process.stdin.on("end", () => process.exit(0)).resume();
`,
      };
    }
    case "workerd": {
      // miniflare needs Node 22 or later: the node24 binary of the same package. The env becomes text bindings.
      const miniflare = installed(name, "miniflare/dist/src/index.js");
      return {
        command: installed(name, "node24/bin/node"),
        args: [],
        wrapper: `const { Miniflare } = await import(${JSON.stringify(pathToFileURL(miniflare).href)});
const mf = new Miniflare({
  modules: true,
  // miniflare's default rules load .js files as CommonJS; the script is an ES module whatever its extension.
  modulesRules: [{ type: "ESModule", include: ["**/*.js", "**/*.mjs"] }],
  scriptPath: ${JSON.stringify(script)},
  // Module names are paths from this root; the default (the working directory) is the runtime's own folder.
  modulesRoot: ${JSON.stringify(dirname(script))},
  compatibilityDate: ${JSON.stringify(WORKERD_COMPATIBILITY_DATE)},
  compatibilityFlags: [],
  bindings: ${envSource},
  host: "127.0.0.1",
  port: 0,
});
const url = await mf.ready;
console.error(\`ready \${url.href}\`);
process.stdin.on("end", () => mf.dispose().finally(() => process.exit(0))).resume();
`,
      };
    }
    case "deno":
      // Network on loopback only; the environment readable, as Deno Deploy and Netlify's edge functions allow.
      return {
        command: installed(name, "@deno/linux-x64-glibc/deno"),
        args: ["run", "--no-prompt", "--allow-net=127.0.0.1", "--allow-env"],
        wrapper: `import worker from ${scriptUrl};
const env = ${envSource};
const onListen = ({ hostname, port }) => console.error(\`ready http://\${hostname}:\${port}/\`);
Deno.serve({ hostname: "127.0.0.1", port: 0, onListen }, (request) => worker.fetch(request, env, ${CONTEXT_SOURCE}));
(async () => {
  for await (const _ of Deno.stdin.readable);
  Deno.exit(0);
})();
`,
      };
    case "bun":
      return {
        command: installed(name, "@oven/bun-linux-x64/bin/bun"),
        args: ["run"],
        wrapper: `import worker from ${scriptUrl};
const env = ${envSource};
const fetch = (request) => worker.fetch(request, env, ${CONTEXT_SOURCE});
const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch });
console.error(\`ready \${server.url.href}\`);
process.stdin.on("end", () => process.exit(0)).resume();
`,
      };
  }
}

/** The runtime's environment: nothing of this process's but what finding programs needs, caches in its own folder. */
function childEnv(name: EdgeRuntimeName, folder: string, env: Record<string, string>): NodeJS.ProcessEnv {
  const child: NodeJS.ProcessEnv = {
    HOME: folder,
    NO_COLOR: "1",
    DO_NOT_TRACK: "1",
    DENO_DIR: join(folder, "deno"),
    DENO_NO_UPDATE_CHECK: "1",
    BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0",
  };
  for (const variable of ["PATH", "LANG", "TZ"])
    if (process.env[variable] !== undefined) child[variable] = process.env[variable];
  // workerd's script sees its bindings only; the others also read their variables from the process environment.
  return name === "workerd" ? child : { ...child, ...env };
}

/**
 * Starts `name` serving the module worker at `scriptPath` on 127.0.0.1 and resolves once it listens. Throws with the
 * runtime's own output if it exits or stays silent for `startTimeoutMs`.
 */
export async function startEdgeRuntime(
  name: EdgeRuntimeName,
  scriptPath: string,
  options: EdgeRuntimeOptions = {},
): Promise<RunningEdgeRuntime> {
  const script = resolve(scriptPath);
  if (!existsSync(script)) throw new Error(`${name}: no script at ${script}`);
  const env = { ...options.env };
  const folder = mkdtempSync(join(tmpdir(), `edge-runtime-${name}-`));
  let child: ChildProcess;
  try {
    const launch = launchOf(name, script, folder, env);
    const wrapper = join(folder, "serve.mjs");
    writeFileSync(wrapper, launch.wrapper);
    // Its own process group, so that stop() also ends what it started (miniflare's workerd).
    child = spawn(launch.command, [...launch.args, wrapper], {
      cwd: folder,
      env: childEnv(name, folder, env),
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }

  // stdout kept as complete lines and the one still being written; stderr whole, for the error messages.
  const lines: string[] = [];
  let partial = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    const pieces = (partial + text).split("\n");
    partial = pieces.pop() ?? "";
    lines.push(...pieces);
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  // A runtime that exits while this process still writes to its stdin must not crash it (EPIPE).
  child.stdin?.on("error", () => {});
  const exited = new Promise<void>((settle) => child.once("close", () => settle()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const signal = (which: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, which);
    } catch {
      // The group is gone already.
    }
  };
  const killOnExit = () => signal("SIGKILL");
  process.once("exit", killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.off("exit", killOnExit);
      if (running()) {
        signal("SIGTERM");
        const timer = setTimeout(() => signal("SIGKILL"), 3_000);
        await exited;
        clearTimeout(timer);
      }
      // workerd, a grandchild, may outlive its group leader by a moment.
      signal("SIGKILL");
      rmSync(folder, { recursive: true, force: true });
    })();
    return stopping;
  };

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  try {
    const url = await new Promise<string>((ready, fail) => {
      const output = () =>
        `\n--- stderr\n${stderr.slice(-3000)}\n--- stdout\n${[...lines.slice(-20), partial].join("\n")}`;
      const timer = setTimeout(
        () => fail(new Error(`${name} did not listen within ${timeoutMs} ms${output()}`)),
        timeoutMs,
      );
      child.stderr?.on("data", () => {
        const found = READY.exec(stderr);
        if (found?.[1] !== undefined) {
          clearTimeout(timer);
          ready(new URL(found[1]).href);
        }
      });
      child.once("error", (error) => {
        clearTimeout(timer);
        fail(new Error(`${name} could not start: ${error.message}`));
      });
      void exited.then(() => {
        clearTimeout(timer);
        fail(new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before it listened${output()}`));
      });
    });
    return {
      url,
      lines: () => [...lines],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
