// Deferred handlers on Netlify, through `netlify functions:serve --offline`:
// - the default deployment: a scratch copy of the site (createScratchSite: the repository's netlify.toml, its functions
//   directory holding dist/netlify built from the suites' own handlers, test/fixtures/handlers.ts). The v2 and legacy
//   receiving functions hand the deferred orders.approve to the background function commercelayer-webhook-worker-
//   background on the request's own origin, which runs it.
// - a hand-written site built from dist/factories/netlify (the factory and the queue file), for what the fixture
//   handlers cannot show: a slow deferred handler (the 200 does not wait for it) and a worker that cannot be reached.
// netlify-cli runs background functions offline as Netlify does: 202 at once (it logs "Queueing background function
// ..."), then the function runs.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_LINE } from "../../../fixtures/handlers.ts";
import { fixtureBundlePath } from "../../../support/bundles.ts";
import { type SignedDelivery, signedDelivery, TEST_SECRET } from "../../../support/deliveries.ts";
import { waitForJsonLine } from "../../../support/log-lines.ts";
import {
  cliEnv,
  createScratchSite,
  FUNCTIONS,
  type FunctionsServer,
  LEGACY_FUNCTION,
  request,
  requireCliAndBundles,
  startFunctionsServe,
  WORKER_FUNCTION,
} from "./netlify-cli.ts";

const SLOW_WORKER = "slow-worker-background";

// The hand-written site's handlers, shared by its functions: orders.place deferred and slow, logging a hash of the
// exact body it was given.
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
const RECEIVER = `import { createNetlifyWebhookHandler } from "../lib/factory.mjs";
import { createBackgroundHandOff, withHandOff } from "../lib/queue.mjs";
import { handlers } from "../lib/handlers.mjs";
export default createNetlifyWebhookHandler(withHandOff(handlers, createBackgroundHandOff({ worker: "${SLOW_WORKER}" })));
export const config = { path: "/webhooks/slow" };
`;
// A worker nobody listens for: port 9 (discard) is closed here, so the hand-off fails to connect.
const UNREACHABLE = `import { createNetlifyWebhookHandler } from "../lib/factory.mjs";
import { createBackgroundHandOff, withHandOff } from "../lib/queue.mjs";
import { handlers } from "../lib/handlers.mjs";
const handOff = createBackgroundHandOff({ url: "http://127.0.0.1:9/.netlify/functions/${SLOW_WORKER}" });
export default createNetlifyWebhookHandler(withHandOff(handlers, handOff));
export const config = { path: "/webhooks/unreachable" };
`;
const BACKGROUND = `import { createNetlifyWebhookWorker } from "../lib/queue.mjs";
import { handlers } from "../lib/handlers.mjs";
export default createNetlifyWebhookWorker(handlers);
`;

let root: string;
let site: FunctionsServer | undefined;
let handWritten: FunctionsServer | undefined;

/** The hand-written site: each function bundled with the factory files into one file, as the repository's are. */
async function writeHandWrittenSite(dir: string): Promise<void> {
  mkdirSync(join(dir, "functions"), { recursive: true });
  mkdirSync(join(dir, "lib"), { recursive: true });
  writeFileSync(join(dir, "package.json"), '{ "private": true, "type": "module" }\n');
  writeFileSync(join(dir, "netlify.toml"), '[functions]\n  directory = "functions"\n  node_bundler = "none"\n');
  copyFileSync(fixtureBundlePath("dist/factories/netlify/commercelayer-webhook-queue.mjs"), join(dir, "lib/queue.mjs"));
  copyFileSync(
    fixtureBundlePath("dist/factories/netlify/commercelayer-webhook-factory.mjs"),
    join(dir, "lib/factory.mjs"),
  );
  writeFileSync(join(dir, "lib", "handlers.mjs"), HANDLERS);
  // node_bundler = "none" ships each function file alone (an import of ../lib is not found at run time), as the
  // repository's own bundles are: so each function is bundled with the factory files into one file, like them.
  mkdirSync(join(dir, "src"), { recursive: true });
  const sources = { receiver: RECEIVER, unreachable: UNREACHABLE, [SLOW_WORKER]: BACKGROUND };
  for (const [name, source] of Object.entries(sources)) {
    writeFileSync(join(dir, "src", `${name}.mjs`), source);
    await build({
      entryPoints: [join(dir, "src", `${name}.mjs`)],
      outfile: join(dir, "functions", `${name}.mjs`),
      bundle: true,
      platform: "node",
      format: "esm",
      logLevel: "warning",
    });
  }
}

beforeAll(async () => {
  requireCliAndBundles();
  root = mkdtempSync(join(tmpdir(), "netlify-background-"));
  const env = cliEnv(join(root, "home"), { COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET });
  site = await startFunctionsServe({ cwd: createScratchSite(join(root, "site")), env, functions: FUNCTIONS });
  await writeHandWrittenSite(join(root, "hand-written"));
  handWritten = await startFunctionsServe({
    cwd: join(root, "hand-written"),
    env,
    functions: ["receiver", "unreachable", SLOW_WORKER],
  });
}, 120_000);

afterAll(async () => {
  await site?.stop();
  await handWritten?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

function running(server: FunctionsServer | undefined): FunctionsServer {
  if (server === undefined) throw new Error("netlify functions:serve is not running");
  return server;
}

async function waitForOutput(server: FunctionsServer, since: number, text: string, ms = 10_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const output = server.output().slice(since);
    if (output.includes(text)) return output;
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${ms} ms; output since:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const idOf = (delivery: SignedDelivery) =>
  (JSON.parse(delivery.body.toString("utf8")) as { data: { id: string } }).data.id;
const sha256 = (body: Buffer) => createHash("sha256").update(body).digest("hex");

/** The `fixture handler` line (test/fixtures/handlers.ts) for `delivery`, printed after `since`. */
function fixtureLine(server: FunctionsServer, since: number, delivery: SignedDelivery) {
  return waitForJsonLine(
    () => server.output().slice(since),
    (entry) => entry.msg === FIXTURE_LINE && entry.id === idOf(delivery),
  );
}

describe("the default deployment (netlify.toml, dist/netlify): deferred handlers run by the background function", () => {
  it.each([
    { fn: "v2", path: "/webhooks/commercelayer", platform: "netlify", seed: 41 },
    { fn: "legacy (v1)", path: `/.netlify/functions/${LEGACY_FUNCTION}`, platform: "netlify-legacy", seed: 42 },
  ])(
    "$fn: 200, then the background function runs orders.approve on the exact body",
    async ({ path, platform, seed }) => {
      const emulator = running(site);
      const approved = signedDelivery("orders.approve", { seed });
      const since = emulator.output().length;
      const response = await request(`${emulator.url}${path}`, { headers: approved.headers, body: approved.body });
      expect(response.status, response.text).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ received: true, outcome: "handled" });
      const receiving = await emulator.waitForLog(since, (entry) => entry.platform === platform);
      expect(receiving).toMatchObject({ topic: "orders.approve", id: idOf(approved), outcome: "handled", status: 200 });

      expect(await fixtureLine(emulator, since, approved)).toEqual({
        msg: FIXTURE_LINE,
        handler: "orders.approve",
        topic: "orders.approve",
        id: idOf(approved),
        body: sha256(approved.body),
      });
      expect(emulator.output().slice(since)).toContain(`Queueing background function ${WORKER_FUNCTION}`);
      const worker = await emulator.waitForLog(
        since,
        (entry) => entry.platform === "netlify-background" && entry.id === idOf(approved),
      );
      expect(worker).toMatchObject({ topic: "orders.approve", outcome: "handled" });
    },
  );

  it("a direct handler runs in the receiving function and is never handed off", async () => {
    const emulator = running(site);
    const shipped = signedDelivery("shipments.ship", { seed: 43 });
    const since = emulator.output().length;
    const response = await request(`${emulator.url}/webhooks/commercelayer`, {
      headers: shipped.headers,
      body: shipped.body,
    });
    expect(response.status, response.text).toBe(200);
    expect(await fixtureLine(emulator, since, shipped)).toMatchObject({
      handler: "shipments.*",
      body: sha256(shipped.body),
    });
    await emulator.waitForLog(since, (entry) => entry.platform === "netlify" && entry.id === idOf(shipped));
    expect(emulator.output().slice(since)).not.toContain(`Queueing background function ${WORKER_FUNCTION}`);
  });

  it("a deferred handler that throws: the delivery was accepted (200), the background function reports the failure", async () => {
    const emulator = running(site);
    const cancelled = signedDelivery("orders.cancel", { seed: 44 });
    const since = emulator.output().length;
    const response = await request(`${emulator.url}/webhooks/commercelayer`, {
      headers: cancelled.headers,
      body: cancelled.body,
    });
    expect(response.status, response.text).toBe(200);
    const worker = await emulator.waitForLog(
      since,
      (entry) => entry.platform === "netlify-background" && entry.id === idOf(cancelled),
    );
    expect(worker).toMatchObject({ topic: "orders.cancel", outcome: "failed" });
  });

  it("a tampered hand-off to the worker URL is refused and runs nothing", async () => {
    const emulator = running(site);
    const approved = signedDelivery("orders.approve", { seed: 45 });
    const since = emulator.output().length;
    const tampered = Buffer.from(approved.body.toString("utf8").replace(idOf(approved), "tamperedXX"), "utf8");
    const response = await request(`${emulator.url}/.netlify/functions/${WORKER_FUNCTION}`, {
      headers: { ...approved.headers, "content-type": "application/octet-stream" },
      body: tampered,
    });
    // Netlify answers a background function's caller 202 before it runs; the refusal is in the worker's log line.
    expect(response.status).toBe(202);
    const log = await emulator.waitForLog(since, (entry) => entry.platform === "netlify-background");
    expect(log).toMatchObject({ outcome: "rejected", reason: "invalid_signature", status: 401 });
    await waitForOutput(emulator, since, `Done executing background function ${WORKER_FUNCTION}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(emulator.output().slice(since)).not.toContain(`"msg":"${FIXTURE_LINE}"`);
  });
});

describe("netlify background hand-off, hand-written functions from dist/factories/netlify", () => {
  const placed = signedDelivery("orders.place");
  const placedId = idOf(placed);

  it("the receiving function answers 200 at once; the background function then runs the slow deferred handler on the exact body", async () => {
    const emulator = running(handWritten);
    const since = emulator.output().length;
    const response = await request(`${emulator.url}/webhooks/slow`, { headers: placed.headers, body: placed.body });
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ received: true, outcome: "handled" });
    // Answered before the slow handler ran: its line is not in the output yet.
    expect(emulator.output().slice(since)).not.toContain("deferred handler ran");

    const output = await waitForOutput(emulator, since, '"msg":"deferred handler ran"');
    expect(output).toContain(`Queueing background function ${SLOW_WORKER}`);
    expect(output).toContain(`{"msg":"deferred handler ran","id":"${placedId}","sha256":"${sha256(placed.body)}"}`);
    await emulator.waitForLog(since, (entry) => entry.platform === "netlify-background" && entry.outcome === "handled");
  });

  it("a worker that cannot be reached makes the receiving function answer 500, so Commerce Layer retries", async () => {
    const emulator = running(handWritten);
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
