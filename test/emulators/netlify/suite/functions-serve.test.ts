// The built bundles served by `netlify functions:serve --offline` as netlify.toml declares them, and hit over HTTP with
// signed deliveries. The site is a scratch copy (createScratchSite): the repository's netlify.toml, with its functions
// directory holding the bundles built from the suites' own handlers (test/fixtures/handlers.ts). Every answer must come
// from our handler: each one is matched with the delivery log line the function wrote.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_LINE } from "../../../fixtures/handlers.ts";
import { type SignedDelivery, signedBody, signedDelivery, TEST_SECRET } from "../../../support/deliveries.ts";
import { waitForJsonLine } from "../../../support/log-lines.ts";
import {
  cliEnv,
  createScratchSite,
  FUNCTIONS,
  type FunctionsServer,
  LEGACY_FUNCTION,
  loadedFunctions,
  request,
  requireCliAndBundles,
  startFunctionsServe,
  V2_FUNCTION,
} from "./netlify-cli.ts";

// Small, so that a body over it stays small; above the largest sample (orders.place with includes, about 36 KB).
const MAX_BODY_BYTES = 64 * 1024;

let server: FunctionsServer | undefined;
let home: string;
let site: string;

beforeAll(async () => {
  requireCliAndBundles();
  home = mkdtempSync(join(tmpdir(), "netlify-serve-home-"));
  site = createScratchSite();
  server = await startFunctionsServe({
    cwd: site,
    // Passed explicitly: netlify-cli also reads .env files in the site root, but a value already in its environment
    // wins over them (see emulator.test.ts), so a developer's .env cannot change these.
    env: cliEnv(home, {
      COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET,
      COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    }),
    functions: FUNCTIONS,
  });
});

afterAll(async () => {
  await server?.stop();
  for (const dir of [home, site]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function running(): FunctionsServer {
  if (server === undefined) throw new Error("netlify functions:serve is not running");
  return server;
}

function withHeaders(delivery: SignedDelivery, headers: Record<string, string>): SignedDelivery {
  return { ...delivery, headers: { ...delivery.headers, ...headers } };
}

const placed = signedDelivery("orders.place");
const placedText = placed.body.toString("utf8");
/** Bytes that are not UTF-8, correctly signed: only a byte-exact path gets them to the verifier unchanged. */
const notUtf8 = signedBody("orders.place", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
const tooLarge = signedBody(
  "orders.place",
  JSON.stringify({ data: { id: "wZeDdSamqn", type: "orders", attributes: { note: "x".repeat(MAX_BODY_BYTES) } } }),
);

interface Row {
  readonly name: string;
  readonly delivery: SignedDelivery;
  readonly status: number;
  readonly answer: Record<string, unknown>;
  readonly contentTypes?: readonly string[];
}

const ROWS: readonly Row[] = [
  {
    name: "orders.place (non-ASCII, emoji, Ruby-style floats) is handled",
    delivery: placed,
    status: 200,
    answer: { received: true, outcome: "handled" },
  },
  {
    name: "shipments.ship is handled",
    delivery: signedDelivery("shipments.ship"),
    status: 200,
    answer: { received: true, outcome: "handled" },
  },
  {
    name: "a topic without a handler, unknown resource included, is acknowledged",
    delivery: signedDelivery("carbon_offsets.compensate"),
    status: 200,
    answer: { received: true, outcome: "ignored" },
  },
  {
    name: "a wrong signature is refused",
    delivery: signedDelivery("orders.place", { secret: "not-the-webhook-secret" }),
    status: 401,
    answer: { error: "invalid_signature" },
  },
  {
    name: "a topic that disagrees with data.type is refused",
    delivery: withHeaders(placed, { "x-commercelayer-topic": "customers.create" }),
    status: 400,
    answer: { error: "topic_type_mismatch" },
  },
  {
    name: "a body over COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES is refused",
    delivery: tooLarge,
    status: 413,
    answer: { error: "body_too_large" },
  },
  {
    // With a JSON content type the local emulator turns invalid UTF-8 into U+FFFD (emulator.test.ts) and the
    // signature fails; octet-stream carries the bytes unchanged, so the signature holds and the payload check answers.
    name: "signed bytes that are not UTF-8 reach the verifier intact and are refused as a payload",
    delivery: notUtf8,
    status: 400,
    answer: { error: "invalid_payload" },
    contentTypes: ["application/octet-stream"],
  },
];

const TARGETS = [
  { fn: V2_FUNCTION, path: "/webhooks/commercelayer", platform: "netlify" },
  { fn: LEGACY_FUNCTION, path: `/.netlify/functions/${LEGACY_FUNCTION}`, platform: "netlify-legacy" },
] as const;

it("the samples carry what breaks re-encoding: non-ASCII text, emoji and Ruby-style floats", () => {
  expect(placed.body.length).toBeGreaterThan(placedText.length); // multi-byte UTF-8 characters
  expect(placedText).toMatch(/\p{Extended_Pictographic}/u);
  expect(placedText).toMatch(/\d\.0[,}\]]/);
  expect(placed.body.length).toBeLessThan(MAX_BODY_BYTES);
  expect(tooLarge.body.length).toBeGreaterThan(MAX_BODY_BYTES);
});

describe.each(TARGETS)("$fn at $path", ({ path, platform }) => {
  describe.each(["application/json", "application/octet-stream"])("sent as %s", (contentType) => {
    const rows = ROWS.filter((row) => (row.contentTypes ?? [contentType]).includes(contentType));
    it.each(rows)("$status: $name", async ({ delivery, status, answer }) => {
      const emulator = running();
      const since = emulator.output().length;
      const response = await request(`${emulator.url}${path}`, {
        headers: { ...delivery.headers, "content-type": contentType },
        body: delivery.body,
      });
      expect(response.status, response.text).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(JSON.parse(response.text)).toEqual(answer);
      const log = await emulator.waitForLog(since, (entry) => entry.platform === platform && entry.status === status);
      expect(log).toMatchObject(
        "error" in answer
          ? { outcome: "rejected", reason: answer.error }
          : { outcome: answer.outcome, topic: delivery.headers["x-commercelayer-topic"] },
      );
    });
  });

  it("405 with Allow: POST for GET, answered by our handler", async () => {
    const emulator = running();
    const since = emulator.output().length;
    const response = await request(`${emulator.url}${path}`, { method: "GET" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(JSON.parse(response.text)).toEqual({ error: "method_not_allowed" });
    await emulator.waitForLog(since, (entry) => entry.platform === platform && entry.status === 405);
  });
});

describe("routing", () => {
  it("netlify.toml's functions directory holds exactly the two webhook functions and the background worker", () => {
    // Every .mjs/.js/.mts file in dist/netlify becomes a deployed function: nothing else may be written there.
    expect(loadedFunctions(running().output()).sort()).toEqual([...FUNCTIONS].sort());
  });

  it("the v2 function is served only at its config.path, not at /.netlify/functions/<name>", async () => {
    const response = await request(`${running().url}/.netlify/functions/${V2_FUNCTION}`, {
      headers: placed.headers,
      body: placed.body,
    });
    expect(response.status, response.text).toBe(404);
  });

  it("the handler ran: the fixture orders.place handler logged the order, with a hash of the exact body", async () => {
    const emulator = running();
    const since = emulator.output().length;
    const response = await request(`${emulator.url}/webhooks/commercelayer`, {
      headers: placed.headers,
      body: placed.body,
    });
    expect(response.status, response.text).toBe(200);
    await emulator.waitForLog(since, (entry) => entry.outcome === "handled");
    const id = (JSON.parse(placedText) as { data: { id: string } }).data.id;
    const line = await waitForJsonLine(
      () => emulator.output().slice(since),
      (entry) => entry.msg === FIXTURE_LINE && entry.id === id,
    );
    expect(line).toEqual({
      msg: FIXTURE_LINE,
      handler: "orders.place",
      topic: "orders.place",
      id,
      body: createHash("sha256").update(placed.body).digest("hex"),
    });
  });
});
