// "Copy into an existing project", Next.js App Router: a throwaway app (outside the repository) with the Vercel factory
// and its declarations in lib/ and `app/api/webhooks/commercelayer/route.ts` written as the README shows, with the
// user's own orders.place handler. tsc (strict) checks it; `next build` (Turbopack, offline, with its own type check)
// builds it; `next start` serves it to signed deliveries. The app installs Next.js with `npm ci` from this emulator
// package's package.json and lockfile, preferring npm's cache (which `npm run emulators:install` fills): a symlink to
// this package's node_modules would not do, as Turbopack refuses files outside the app's root. Needs `npm run build`.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SignedDelivery, signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";
import { waitForJsonLine } from "../../support/log-lines.ts";
import {
  copyFactory,
  createUserProject,
  typeCheck,
  writeProjectFile,
  writeStrictTsconfig,
} from "../../support/user-project.ts";

const EMULATOR_DIR = fileURLToPath(new URL(".", import.meta.url));
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const NEXT_BIN = join(EMULATOR_DIR, "node_modules/next/dist/bin/next");
const PATH = "/api/webhooks/commercelayer";

const USER_ROUTE = `import { createVercelWebhookHandler } from "../../../../lib/commercelayer-webhook-factory.mjs";

export const POST = createVercelWebhookHandler({
  "orders.place": async (event) => {
    console.log(JSON.stringify({ userHandler: "orders.place", id: event.id, number: event.data.attributes.number }));
  },
});
`;

interface NextProcess {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** The app's own `next <args>` as the leader of its own process group (stopped whole), with a clean environment. */
function startNext(
  args: readonly string[],
  cwd: string,
  home: string,
  extra: Record<string, string> = {},
): NextProcess {
  const env: NodeJS.ProcessEnv = { HOME: home, NEXT_TELEMETRY_DISABLED: "1", CI: "1", ...extra };
  for (const name of ["PATH", "LANG", "TZ", "TMPDIR"])
    if (process.env[name] !== undefined) env[name] = process.env[name];
  const child = spawn(process.execPath, [join(cwd, "node_modules/next/dist/bin/next"), ...args], {
    cwd,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => (log += text));
  child.stderr?.setEncoding("utf8").on("data", (text: string) => (log += text));
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const killOnExit = () => signal("SIGKILL");
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // The group is gone already.
    }
  };
  process.once("exit", killOnExit);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      signal("SIGTERM");
      const late = await Promise.race([exited.then(() => false), delay(5_000).then(() => true)]);
      if (late) {
        signal("SIGKILL");
        await exited;
      }
    }
    // Whatever next left in its group (workers) goes too.
    signal("SIGKILL");
    process.off("exit", killOnExit);
  };
  return { child, output: () => log, exited, stop };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function freePort(): Promise<number> {
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

let app: string | undefined;
let home: string | undefined;
let server: NextProcess | undefined;
let url: string | undefined;
let typeChecked: { code: number; output: string } | undefined;
let buildLog = "";

beforeAll(async () => {
  if (!existsSync(NEXT_BIN))
    throw new Error(`next is not installed in ${EMULATOR_DIR}: run \`npm run emulators:install\``);
  for (const file of ["commercelayer-webhook-factory.mjs", "commercelayer-webhook-factory.d.mts"]) {
    const built = join(ROOT, "dist/factories/vercel", file);
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  app = createUserProject("nextjs-app-router");
  writeStrictTsconfig(app, { nodeTypes: true });
  copyFactory(app, "vercel", "lib");
  writeProjectFile(app, "app/api/webhooks/commercelayer/route.ts", USER_ROUTE);
  typeChecked = await typeCheck(app);
  home = mkdtempSync(join(tmpdir(), "cl-nextjs-home-"));
  for (const file of ["package.json", "package-lock.json"]) copyFileSync(join(EMULATOR_DIR, file), join(app, file));
  await promisify(execFile)("npm", ["ci", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd: app,
    timeout: 180_000,
  });

  const build = startNext(["build"], app, home);
  const code = await Promise.race([build.exited, delay(240_000).then(() => "timeout" as const)]);
  buildLog = build.output();
  if (code !== 0) {
    await build.stop();
    throw new Error(`next build ${code === "timeout" ? "timed out" : `exited with ${code}`}:\n${buildLog}`);
  }
  await build.stop();

  const port = await freePort();
  server = startNext(["start", "--hostname", "127.0.0.1", "--port", String(port)], app, home, {
    COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET,
  });
  const deadline = Date.now() + 60_000;
  while (!/Ready in/.test(server.output())) {
    if (server.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`next start was not ready:\n${server.output()}`);
    }
    await delay(50);
  }
  url = `http://127.0.0.1:${port}`;
}, 360_000);

afterAll(async () => {
  await server?.stop();
  for (const dir of [app, home]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function post(delivery: SignedDelivery) {
  if (url === undefined || server === undefined) throw new Error("next start is not running");
  const response = await fetch(new URL(PATH, url), {
    method: "POST",
    headers: delivery.headers,
    body: new Uint8Array(delivery.body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: await response.text() };
}

const waitForLine = (since: number, match: (line: Record<string, unknown>) => boolean) =>
  waitForJsonLine(() => (server?.output() ?? "").slice(since), match);

describe("copy into an existing Next.js app: app/api/webhooks/commercelayer/route.ts, next build + next start", () => {
  it("the route file type-checks with tsc --strict, and next build (with its own type check) builds it", () => {
    expect(typeChecked?.output).toBe("");
    expect(typeChecked?.code).toBe(0);
    expect(buildLog).toMatch(/ƒ \/api\/webhooks\/commercelayer/);
  });

  it("a signed orders.place is handled (200) and the user's handler ran with the delivery's id", async () => {
    const delivery = signedDelivery("orders.place");
    const payload = JSON.parse(delivery.body.toString("utf8")) as {
      data: { id: string; attributes: { number: unknown } };
    };
    const since = server?.output().length ?? 0;
    const response = await post(delivery);
    expect(response).toEqual({ status: 200, body: '{"received":true,"outcome":"handled"}' });
    const line = await waitForLine(since, (entry) => entry.userHandler === "orders.place");
    expect(line).toEqual({ userHandler: "orders.place", id: payload.data.id, number: payload.data.attributes.number });
  });

  it("a topic the user has no handler for is acknowledged (200 ignored)", async () => {
    const response = await post(signedDelivery("customers.create"));
    expect(response).toEqual({ status: 200, body: '{"received":true,"outcome":"ignored"}' });
  });

  it("a wrong signature is refused (401)", async () => {
    const response = await post(signedDelivery("orders.place", { secret: "not-the-secret" }));
    expect(response).toEqual({ status: 401, body: '{"error":"invalid_signature"}' });
  });
});
