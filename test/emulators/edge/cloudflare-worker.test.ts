// "Where users put it", Cloudflare: the Worker project of projects/cloudflare-worker/ (wrangler.toml, src/worker.ts)
// copied to a throwaway folder with the edge factory in lib/, as docs/edge.md says. tsc (strict, no @types/node, no
// Cloudflare types) checks the worker; `wrangler dev --local` bundles it and serves it in workerd, without
// nodejs_compat, to signed and forged deliveries. The secret is a binding read through the factory's options function:
// .dev.vars for the first Worker, nothing for the second. Needs `npm run build` and `npm run emulators:install`.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SignedDelivery, TEST_SECRET } from "../../support/deliveries.ts";
import { createUserProject, typeCheck, writeStrictTsconfig } from "../../support/user-project.ts";
import { copyEdgeFactory, expectForgedRefused, expectHandledByUser, expectNoSecret } from "../edge-copy.ts";
import { freePort, postTo, type ServerProcess, startServerProcess } from "../server-process.ts";

const EMULATOR_DIR = fileURLToPath(new URL(".", import.meta.url));
const PROJECT = join(EMULATOR_DIR, "projects/cloudflare-worker");
// wrangler 4 needs Node >= 22.12: the Node 24 of this emulator package runs it.
const NODE = join(EMULATOR_DIR, "node_modules/node24/bin/node");
const WRANGLER = join(EMULATOR_DIR, "node_modules/wrangler/bin/wrangler.js");

interface Worker {
  readonly folder: string;
  readonly server: ServerProcess;
  readonly url: string;
}

/** The project, copied with the factory (and `devVars` as .dev.vars, if given), under `wrangler dev --local`. */
async function startWorker(devVars: string | undefined): Promise<Worker> {
  const folder = createUserProject("cloudflare-worker");
  cpSync(PROJECT, folder, { recursive: true });
  copyEdgeFactory(folder, "lib");
  if (devVars !== undefined) writeFileSync(join(folder, ".dev.vars"), devVars);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "",
    // wrangler keeps its logs, device id and caches under these: the throwaway folder, not the developer's.
    HOME: folder,
    XDG_CONFIG_HOME: join(folder, ".config"),
    WRANGLER_SEND_METRICS: "false",
    WRANGLER_SEND_ERROR_REPORTS: "false",
    // The Request.cf placeholder at once, rather than an attempt to download the real one.
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    CI: "1",
  };
  const args = ["dev", "--local", "--ip=127.0.0.1", `--port=${port}`, "--inspector-port=0"];
  const server = startServerProcess(NODE, [WRANGLER, ...args, "--show-interactive-dev-session=false"], {
    cwd: folder,
    env,
  });
  await server.waitForOutput(/Ready on http:\/\/127\.0\.0\.1:\d+/, 60_000);
  return { folder, server, url: `http://127.0.0.1:${port}/` };
}

async function stopWorker(worker: Worker | undefined): Promise<void> {
  await worker?.server.stop();
  if (worker !== undefined) rmSync(worker.folder, { recursive: true, force: true });
}

function target(worker: () => Worker | undefined) {
  const running = (): Worker => {
    const started = worker();
    if (started === undefined) throw new Error("wrangler dev is not running");
    return started;
  };
  return {
    post: (delivery: SignedDelivery) => postTo(running().url, delivery),
    output: () => running().server.output(),
  };
}

beforeAll(() => {
  for (const path of [NODE, WRANGLER])
    if (!existsSync(path))
      throw new Error(`${path} is missing: run \`npm run emulators:install\` (npm ci --prefix test/emulators/edge)`);
});

describe("a Cloudflare Worker (wrangler.toml + src/worker.ts) under wrangler dev --local", () => {
  it("wrangler.toml asks for no nodejs_compat, and the worker type-checks with tsc --strict and no @types/node", async () => {
    expect(readFileSync(join(PROJECT, "wrangler.toml"), "utf8")).not.toMatch(/^\s*compatibility_flags/m);
    const project = createUserProject("cloudflare-worker-types");
    try {
      cpSync(PROJECT, project, { recursive: true });
      copyEdgeFactory(project, "lib");
      writeStrictTsconfig(project, { nodeTypes: false });
      const checked = await typeCheck(project);
      expect(checked.output).toBe("");
      expect(checked.code).toBe(0);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  describe("with the secret in .dev.vars", () => {
    let worker: Worker | undefined;
    beforeAll(async () => {
      worker = await startWorker(`COMMERCELAYER_WEBHOOK_SECRET=${TEST_SECRET}\n`);
    }, 90_000);
    afterAll(() => stopWorker(worker));
    const deliveries = target(() => worker);

    it("wrangler sees the secret as a binding of the Worker", () => {
      expect(worker?.server.output()).toMatch(/env\.COMMERCELAYER_WEBHOOK_SECRET \("\(hidden\)"\)/);
    });

    it("a signed orders.place is handled (200) and the user's handler ran with the delivery's id", () =>
      expectHandledByUser(deliveries));

    it("forged deliveries are refused (401) and run no handler", () => expectForgedRefused(deliveries));
  });

  describe("with no secret bound", () => {
    let worker: Worker | undefined;
    beforeAll(async () => {
      worker = await startWorker(undefined);
    }, 90_000);
    afterAll(() => stopWorker(worker));

    it("a signed delivery is answered 500 no_secret_configured and runs no handler", () =>
      expectNoSecret(target(() => worker)));
  });
});
