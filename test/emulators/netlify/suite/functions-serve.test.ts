// The built bundles served by `netlify functions:serve --offline` as netlify.toml declares them, and hit over HTTP with
// signed deliveries and external-resource calls. The site is a scratch copy (createScratchSite): the repository's
// netlify.toml, with its functions directory holding the fixture build's dist/netlify, built from the suites' own
// handlers (test/fixtures/handlers.ts, and test/fixtures/external-handlers.ts: every external kind). Every answer must
// come from our handler: each one is matched with the log line the function wrote.
// One emulator for both: the external-resource function is deployed beside the webhook ones (netlify.toml deploys every
// file of dist/netlify), and each kind's answer is checked at its deployed path, /external/<kind>.
// What a build that implements fewer kinds serves (and leaves to Netlify's 404) is in external.test.ts.
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployedExternalPath } from "../../../../infra/build/external-deploy.ts";
import { FIXTURE_LINE } from "../../../fixtures/handlers.ts";
import { type SignedDelivery, signedBody, signedDelivery, TEST_SECRET } from "../../../support/deliveries.ts";
import {
  checkExternalAnswer,
  type ExternalBundleCase,
  emulatorEnv,
  externalEmulatorCases,
} from "../../../support/external-bundle-cases.ts";
import { EXTERNAL_SECRETS } from "../../../support/external-requests.ts";
import { waitForJsonLine } from "../../../support/log-lines.ts";
import {
  bundle,
  cliEnv,
  createScratchSite,
  EXTERNAL_FUNCTION,
  EXTERNAL_LOG,
  FUNCTIONS,
  type FunctionsServer,
  LEGACY_FUNCTION,
  loadedFunctions,
  NETLIFY_NOT_FOUND,
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

/** Every function the fixture build's dist/netlify holds: the webhook ones and the external-resource one. */
const DEPLOYED = [...FUNCTIONS, EXTERNAL_FUNCTION];

beforeAll(async () => {
  requireCliAndBundles();
  if (!existsSync(bundle(EXTERNAL_FUNCTION))) {
    throw new Error(`${bundle(EXTERNAL_FUNCTION)} is missing: the fixture build implements every external kind`);
  }
  home = mkdtempSync(join(tmpdir(), "netlify-serve-home-"));
  site = createScratchSite();
  server = await startFunctionsServe({
    cwd: site,
    // Passed explicitly: netlify-cli also reads .env files in the site root, but a value already in its environment
    // wins over them (see emulator.test.ts), so a developer's .env cannot change these. The external secrets (one per
    // Commerce Layer resource) and the body limit, which the external function shares with the webhook ones.
    env: cliEnv(home, {
      ...emulatorEnv(MAX_BODY_BYTES),
      COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET,
      COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    }),
    functions: DEPLOYED,
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
  it("netlify.toml's functions directory holds the two webhook functions, the worker and the external one", () => {
    // Every .mjs/.js/.mts file in dist/netlify becomes a deployed function: nothing else may be written there. The
    // external one is there because the fixture build implements external kinds (external.test.ts: when it does not).
    expect(loadedFunctions(running().output()).sort()).toEqual([...DEPLOYED].sort());
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

/** What the external function's log line must say for a case: its outcome, and the short code where there is one. */
function expectedExternalLog(testCase: ExternalBundleCase): Record<string, unknown> {
  if (testCase.body !== undefined) {
    const document = testCase.body as { success: boolean; error?: { code: string } };
    return document.success ? { outcome: "answered" } : { outcome: "refused", reason: document.error?.code };
  }
  // A throw, or a secret not configured, is the function's own failure; every other refusal rejects the call.
  const failed = testCase.errorCode === "handler_failed" || testCase.errorCode === "no_secret_configured";
  return { outcome: failed ? "failed" : "rejected", reason: testCase.errorCode };
}

/** Every secret the emulator was given: none may be printed, in a log line or anywhere else. */
const SECRET_VALUES = [...Object.values(EXTERNAL_SECRETS), TEST_SECRET];

describe(`${EXTERNAL_FUNCTION} beside them, at /external/<kind> (the fixture build implements every kind)`, () => {
  it.each(externalEmulatorCases(MAX_BODY_BYTES))("$status: $name", async (testCase) => {
    const emulator = running();
    const since = emulator.output().length;
    const response = await request(`${emulator.url}${deployedExternalPath("netlify", testCase.kind)}`, {
      method: testCase.request.method,
      headers: testCase.request.headers,
      body: testCase.request.body,
    });
    checkExternalAnswer(testCase, response.status, response.text, expect);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    // The line of this call: our function ran for this kind (the path named it) and said what it answered.
    const log = await emulator.waitForLog(
      since,
      (entry) => entry.kind === testCase.kind && entry.status === testCase.status,
      EXTERNAL_LOG,
    );
    expect(log).toMatchObject({ platform: "netlify", kind: testCase.kind, status: testCase.status });
    expect(log).toMatchObject(expectedExternalLog(testCase));
    const line = JSON.stringify(log);
    for (const secret of SECRET_VALUES) expect(line).not.toContain(secret);
    const signature = testCase.request.headers["x-commercelayer-signature"];
    if (signature !== undefined) expect(line).not.toContain(signature);
  });

  it("no secret value appears anywhere in what netlify-cli and the functions printed", () => {
    const printed = running().output();
    // Not vacuous: the table above ran, so the output holds the external calls' log lines.
    expect(printed).toContain(`"msg":"${EXTERNAL_LOG}"`);
    for (const secret of SECRET_VALUES) expect(printed).not.toContain(secret);
  });

  it("the v2 function is served only at its config.path list, not at /.netlify/functions/<name>", async () => {
    const [valid] = externalEmulatorCases(MAX_BODY_BYTES);
    if (valid === undefined) throw new Error("no external case");
    const response = await request(`${running().url}/.netlify/functions/${EXTERNAL_FUNCTION}`, {
      headers: valid.request.headers,
      body: valid.request.body,
    });
    expect(response.status, response.text).toBe(404);
    expect(response.text).toBe(NETLIFY_NOT_FOUND);
  });

  it("the webhook function still answers at its own path beside it", async () => {
    const emulator = running();
    const since = emulator.output().length;
    const response = await request(`${emulator.url}/webhooks/commercelayer`, {
      headers: placed.headers,
      body: placed.body,
    });
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ received: true, outcome: "handled" });
    await emulator.waitForLog(since, (entry) => entry.platform === "netlify" && entry.outcome === "handled");
  });
});
