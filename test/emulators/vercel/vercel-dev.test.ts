// The copy-into-a-project path, through Vercel's real Node runtime (`vercel dev --local`, offline, no login): a
// throwaway project whose api/ folder holds byte-for-byte copies of the two built Vercel bundles, hit over HTTP with
// signed deliveries. Both flavours: the Web `POST(request)` one, and the Node `(req, res)` one with Vercel's helpers
// on, as in any api/ folder. The bundles are those the suites' global setup builds from their own handlers
// (test/fixtures/handlers.ts); the Web one is the function of that build's .vercel/output (what the default deployment
// serves: `vercel dev` cannot serve a prebuilt .vercel/output itself), whose deferred orders.approve runs in waitUntil.
// Needs `npm run emulators:install` first.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_LINE } from "../../fixtures/handlers.ts";
import { fixtureBuild } from "../../support/bundles.ts";
import { type SignedDelivery, signedBody, signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";
import { waitForJsonLine } from "../../support/log-lines.ts";
import { assertEmulatorInstalled, type DevServer, portClosed, startVercelDev, vercelEnv } from "./support.ts";

const MAX_BODY_BYTES = 65_536;

const FLAVOURS = [
  {
    name: "Web POST(request), the .vercel/output function",
    bundle: "dist/vercel/commercelayer-webhook.mjs",
    // What the deployment serves: the Build Output API function, the same bytes as the bundle (checked below).
    served: ".vercel/output/functions/api/webhooks/commercelayer.func/index.mjs",
    file: "api/webhooks/commercelayer.mjs",
    path: "/api/webhooks/commercelayer",
    platform: "vercel",
  },
  {
    name: "Node (req, res), helpers on",
    bundle: "dist/vercel/commercelayer-webhook-node.mjs",
    served: "dist/vercel/commercelayer-webhook-node.mjs",
    file: "api/webhooks/commercelayer-node.mjs",
    path: "/api/webhooks/commercelayer-node",
    platform: "vercel-node",
  },
] as const;

let temp: string;
let server: DevServer | undefined;

beforeAll(async () => {
  assertEmulatorInstalled();
  for (const flavour of FLAVOURS) {
    for (const file of [flavour.bundle, flavour.served]) {
      if (!existsSync(join(fixtureBuild(), file))) throw new Error(`${file} is missing: the global setup builds it`);
    }
  }
  temp = mkdtempSync(join(tmpdir(), "cl-vercel-dev-"));
  const project = join(temp, "project");
  // A plain Vercel project as a user would have it: no .vercel/ (linked projects go online) and no .env (it would
  // override the environment given here).
  mkdirSync(join(project, "api/webhooks"), { recursive: true });
  writeFileSync(join(project, "package.json"), `${JSON.stringify({ type: "module" })}\n`);
  for (const flavour of FLAVOURS) copyFileSync(join(fixtureBuild(), flavour.served), join(project, flavour.file));
  mkdirSync(join(temp, "home"));
  server = await startVercelDev(
    project,
    vercelEnv(join(temp, "home"), {
      COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET,
      COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    }),
  );
});

afterAll(async () => {
  try {
    if (server !== undefined) {
      await server.process.stop();
      expect(await portClosed(server.url)).toBe(true);
    }
  } finally {
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  }
});

function devServer(): DevServer {
  if (server === undefined) throw new Error("vercel dev did not start");
  return server;
}

async function post(path: string, delivery: SignedDelivery, dropHeaders: readonly string[] = []) {
  const headers = Object.fromEntries(
    Object.entries(delivery.headers).filter(([name]) => !dropHeaders.includes(name.toLowerCase())),
  );
  const response = await fetch(new URL(path, devServer().url), {
    method: "POST",
    headers,
    body: new Uint8Array(delivery.body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** The delivery's log line, as the function printed it through vercel dev (it may arrive just after the response). */
async function logLine(platform: string, match: Record<string, unknown>): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const lines = devServer()
      .process.output()
      .split("\n")
      .filter((line) => line.startsWith("{") && line.includes('"msg":"commercelayer webhook"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const found = lines.find(
      (line) => line.platform === platform && Object.entries(match).every(([key, value]) => line[key] === value),
    );
    if (found !== undefined) return found;
    if (Date.now() > deadline) {
      throw new Error(
        `no ${platform} log line with ${JSON.stringify(match)}. Output:\n${devServer().process.output()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const idOf = (delivery: SignedDelivery) =>
  (JSON.parse(delivery.body.toString("utf8")) as { data: { id: string } }).data.id;
const sha256 = (body: Buffer) => createHash("sha256").update(body).digest("hex");

/** The `fixture handler` line (test/fixtures/handlers.ts) for `delivery`, printed after `since`. */
function fixtureLine(since: number, delivery: SignedDelivery): Promise<Record<string, unknown>> {
  return waitForJsonLine(
    () => devServer().process.output().slice(since),
    (line) => line.msg === FIXTURE_LINE && line.id === idOf(delivery),
    5_000,
  );
}

const placed = signedDelivery("orders.place");

it("sends samples as Commerce Layer writes them: non-ASCII, emoji, Ruby floats", () => {
  const text = placed.body.toString("utf8");
  expect([...text].some((char) => (char.codePointAt(0) ?? 0) > 0x7f)).toBe(true);
  expect(text).toMatch(/\p{Extended_Pictographic}/u);
  expect(text).toMatch(/":\d+\.0[,}]/);
  expect(placed.body.length).toBeLessThan(MAX_BODY_BYTES);
});

describe.each(FLAVOURS)("vercel dev: $name", ({ path, platform }) => {
  it("handles a signed orders.place with 200, byte for byte", async () => {
    const response = await post(path, placed);
    expect(response).toMatchObject({ status: 200, body: '{"received":true,"outcome":"handled"}' });
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const id = (JSON.parse(placed.body.toString("utf8")) as { data: { id: string } }).data.id;
    await logLine(platform, { topic: "orders.place", id, outcome: "handled", status: 200 });
  });

  it("acknowledges a topic with no handler (one Commerce Layer may add later) with 200", async () => {
    const response = await post(path, signedDelivery("orders.teleport"));
    expect(response).toMatchObject({ status: 200, body: '{"received":true,"outcome":"ignored"}' });
  });

  it("refuses a wrong signature with 401", async () => {
    const response = await post(path, signedDelivery("orders.place", { secret: "not-the-secret" }));
    expect(response).toMatchObject({ status: 401, body: '{"error":"invalid_signature"}' });
  });

  it("refuses a topic header that disagrees with data.type with 400", async () => {
    const response = await post(path, signedBody("customers.create", placed.body));
    expect(response).toMatchObject({ status: 400, body: '{"error":"topic_type_mismatch"}' });
  });

  it("verifies bytes that are not UTF-8 as they were sent (signature passes, then 400 for the payload)", async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"data":{"type":"orders","id":"x'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}'),
    ]);
    const response = await post(path, signedBody("orders.place", bytes));
    expect(response).toMatchObject({ status: 400, body: '{"error":"invalid_payload"}' });
  });

  it("handles a delivery without Content-Type", async () => {
    const response = await post(path, signedDelivery("shipments.ship"), ["content-type"]);
    expect(response).toMatchObject({ status: 200, body: '{"received":true,"outcome":"handled"}' });
  });

  it("refuses a body over COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES with 413", async () => {
    const response = await post(path, signedBody("orders.place", Buffer.alloc(MAX_BODY_BYTES + 1, 0x20)));
    expect(response).toMatchObject({ status: 413, body: '{"error":"body_too_large"}' });
  });

  it("runs the direct orders.place handler in the request, on the exact body", async () => {
    const delivery = signedDelivery("orders.place", { seed: platform === "vercel" ? 51 : 52 });
    const since = devServer().process.output().length;
    const response = await post(path, delivery);
    expect(response).toMatchObject({ status: 200, body: '{"received":true,"outcome":"handled"}' });
    expect(await fixtureLine(since, delivery)).toEqual({
      msg: FIXTURE_LINE,
      handler: "orders.place",
      topic: "orders.place",
      id: idOf(delivery),
      body: sha256(delivery.body),
    });
  });

  it("answers a deferred orders.approve with 200, then runs it in waitUntil on the exact body", async () => {
    const delivery = signedDelivery("orders.approve", { seed: platform === "vercel" ? 53 : 54 });
    const since = devServer().process.output().length;
    const response = await post(path, delivery);
    expect(response).toMatchObject({ status: 200, body: '{"received":true,"outcome":"handled"}' });
    await logLine(platform, { topic: "orders.approve", id: idOf(delivery), outcome: "handled", status: 200 });
    expect(await fixtureLine(since, delivery)).toEqual({
      msg: FIXTURE_LINE,
      handler: "orders.approve",
      topic: "orders.approve",
      id: idOf(delivery),
      body: sha256(delivery.body),
    });
    // The deferred handlers' own log line, written when the work started in waitUntil is done.
    await logLine("vercel-wait-until", { topic: "orders.approve", id: idOf(delivery), outcome: "handled" });
  });

  it("a deferred handler that throws after the 200: nothing retries it, the failure is in its log line", async () => {
    const delivery = signedDelivery("orders.cancel", { seed: platform === "vercel" ? 55 : 56 });
    const response = await post(path, delivery);
    expect(response).toMatchObject({ status: 200, body: '{"received":true,"outcome":"handled"}' });
    await logLine("vercel-wait-until", { topic: "orders.cancel", id: idOf(delivery), outcome: "failed" });
  });

  it("answers GET with 405", async () => {
    const response = await fetch(new URL(path, devServer().url), { signal: AbortSignal.timeout(15_000) });
    await response.arrayBuffer();
    expect(response.status).toBe(405);
    // The Web flavour exports POST only, so Vercel answers 405 itself; the Node flavour answers with our contract.
    if (platform === "vercel-node") expect(response.headers.get("allow")).toBe("POST");
  });
});

it("serves byte-for-byte copies of the built bundles (built from the suites' own handlers)", () => {
  for (const flavour of FLAVOURS) {
    const served = readFileSync(join(temp, "project", flavour.file));
    expect(served.equals(readFileSync(join(fixtureBuild(), flavour.bundle))), flavour.file).toBe(true);
    expect(served.toString("utf8"), flavour.file).toContain(FIXTURE_LINE);
  }
});
