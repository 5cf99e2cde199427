// Deferred handlers on Netlify, through `netlify functions:serve --offline` on a scratch site: a receiving v2 function
// whose orders.place handler is deferred and slow, and the background function that runs it, both built from
// dist/factories/netlify/commercelayer-webhook-queue.mjs. netlify-cli runs background functions offline as Netlify
// does: 202 at once (it logs "Queueing background function ..."), then the function runs.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedDelivery, TEST_SECRET } from "../../../support/deliveries.ts";
import {
  cliEnv,
  type FunctionsServer,
  ROOT,
  request,
  requireCliAndBundles,
  startFunctionsServe,
} from "./netlify-cli.ts";

const WORKER = "commercelayer-webhook-worker-background";
const QUEUE_BUNDLE = join(ROOT, "dist/factories/netlify/commercelayer-webhook-queue.mjs");

// The handlers both functions share: orders.place deferred and slow, logging a hash of the exact body it was given.
const HANDLERS = `import { createHash } from "node:crypto";
import { deferred } from "./queue.mjs";
export const handlers = {
  "orders.place": deferred(async (event) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sha256 = createHash("sha256").update(event.delivery.body).digest("hex");
    console.log(JSON.stringify({ msg: "deferred handler ran", id: event.id, sha256 }));
  }),
};
`;
const RECEIVER = `import { createNetlifyDeferringHandler } from "../lib/queue.mjs";
import { handlers } from "../lib/handlers.mjs";
export default createNetlifyDeferringHandler(handlers);
export const config = { path: "/webhooks/commercelayer" };
`;
// A worker nobody listens for: port 9 (discard) is closed here, so the hand-off fails to connect.
const UNREACHABLE = `import { createNetlifyDeferringHandler } from "../lib/queue.mjs";
import { handlers } from "../lib/handlers.mjs";
export default createNetlifyDeferringHandler(handlers, { workerUrl: "http://127.0.0.1:9/.netlify/functions/${WORKER}" });
export const config = { path: "/webhooks/unreachable" };
`;
const BACKGROUND = `import { createNetlifyBackgroundWorker } from "../lib/queue.mjs";
import { handlers } from "../lib/handlers.mjs";
export default createNetlifyBackgroundWorker(handlers);
`;

let root: string;
let server: FunctionsServer | undefined;

beforeAll(async () => {
  requireCliAndBundles();
  root = mkdtempSync(join(tmpdir(), "netlify-background-"));
  const site = join(root, "site");
  mkdirSync(join(site, "functions"), { recursive: true });
  mkdirSync(join(site, "lib"), { recursive: true });
  writeFileSync(join(site, "package.json"), '{ "private": true, "type": "module" }\n');
  writeFileSync(join(site, "netlify.toml"), '[functions]\n  directory = "functions"\n  node_bundler = "none"\n');
  copyFileSync(QUEUE_BUNDLE, join(site, "lib", "queue.mjs"));
  writeFileSync(join(site, "lib", "handlers.mjs"), HANDLERS);
  // node_bundler = "none" ships each function file alone (an import of ../lib is not found at run time), as the
  // repository's own bundles are: so each function is bundled with the factory file into one file, like them.
  mkdirSync(join(site, "src"), { recursive: true });
  const sources = { receiver: RECEIVER, unreachable: UNREACHABLE, [WORKER]: BACKGROUND };
  for (const [name, source] of Object.entries(sources)) {
    writeFileSync(join(site, "src", `${name}.mjs`), source);
    await build({
      entryPoints: [join(site, "src", `${name}.mjs`)],
      outfile: join(site, "functions", `${name}.mjs`),
      bundle: true,
      platform: "node",
      format: "esm",
      logLevel: "warning",
    });
  }
  server = await startFunctionsServe({
    cwd: site,
    env: cliEnv(join(root, "home"), { COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET }),
    functions: ["receiver", "unreachable", WORKER],
  });
});

afterAll(async () => {
  await server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

function running(): FunctionsServer {
  if (server === undefined) throw new Error("netlify functions:serve is not running");
  return server;
}

async function waitForOutput(since: number, text: string, ms = 10_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const output = running().output().slice(since);
    if (output.includes(text)) return output;
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${ms} ms; output since:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const placed = signedDelivery("orders.place");
const placedId = (JSON.parse(placed.body.toString("utf8")) as { data: { id: string } }).data.id;
const placedSha = createHash("sha256").update(placed.body).digest("hex");

describe("netlify background hand-off", () => {
  it("the receiving function answers 200 at once; the background function then runs the deferred handler on the exact body", async () => {
    const emulator = running();
    const since = emulator.output().length;
    const started = performance.now();
    const response = await request(`${emulator.url}/webhooks/commercelayer`, {
      headers: placed.headers,
      body: placed.body,
    });
    const ms = performance.now() - started;
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ received: true, outcome: "handled" });
    expect(ms).toBeLessThan(1000);
    expect(emulator.output().slice(since)).not.toContain("deferred handler ran");

    const output = await waitForOutput(since, '"msg":"deferred handler ran"');
    expect(output).toContain(`Queueing background function ${WORKER}`);
    expect(output).toContain(`{"msg":"deferred handler ran","id":"${placedId}","sha256":"${placedSha}"}`);
    await emulator.waitForLog(since, (entry) => entry.platform === "netlify-background" && entry.outcome === "handled");
  });

  it("a tampered hand-off to the worker URL is refused and runs nothing", async () => {
    const emulator = running();
    const since = emulator.output().length;
    const tampered = Buffer.from(placed.body.toString("utf8").replace(placedId, "tamperedXX"), "utf8");
    const response = await request(`${emulator.url}/.netlify/functions/${WORKER}`, {
      headers: { ...placed.headers, "content-type": "application/octet-stream" },
      body: tampered,
    });
    // Netlify answers a background function's caller 202 before it runs; the refusal is in the worker's log line.
    expect(response.status).toBe(202);
    const log = await emulator.waitForLog(since, (entry) => entry.platform === "netlify-background");
    expect(log).toMatchObject({ outcome: "rejected", reason: "invalid_signature", status: 401 });
    await waitForOutput(since, `Done executing background function ${WORKER}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(emulator.output().slice(since)).not.toContain("deferred handler ran");
  });

  it("a worker that cannot be reached makes the receiving function answer 500, so Commerce Layer retries", async () => {
    const emulator = running();
    const since = emulator.output().length;
    const response = await request(`${emulator.url}/webhooks/unreachable`, {
      headers: placed.headers,
      body: placed.body,
    });
    expect(response.status, response.text).toBe(500);
    expect(JSON.parse(response.text)).toEqual({ error: "handler_failed" });
    const log = await emulator.waitForLog(since, (entry) => entry.platform === "netlify" && entry.status === 500);
    expect(log).toMatchObject({ outcome: "failed", reason: "handler_failed" });
  });
});
