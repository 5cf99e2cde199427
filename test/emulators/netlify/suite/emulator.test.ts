// What `netlify functions:serve --offline` itself does, checked on a scratch site in a temporary folder (never in the
// repository): where the functions' environment comes from, and how request bodies reach v1 and v2 functions.
// These are facts about the pinned netlify-cli, not about Netlify: if one fails after an upgrade, re-check the notes
// in functions-serve.test.ts and the README.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedDelivery, TEST_SECRET } from "../../../support/deliveries.ts";
import {
  bundle,
  cliEnv,
  type FunctionsServer,
  request,
  requireCliAndBundles,
  startFunctionsServe,
  V2_FUNCTION,
} from "./netlify-cli.ts";

// Echo what the function was given: the env values, and the body bytes as base64 (v1: plus isBase64Encoded).
const PROBE_V1 = `export const handler = async (event) => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    onlyInDotEnv: process.env.PROBE_ONLY_IN_DOTENV ?? null,
    inBoth: process.env.PROBE_IN_BOTH ?? null,
    isBase64Encoded: event.isBase64Encoded,
    bytes: Buffer.from(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8").toString("base64"),
  }),
});
`;
const PROBE_V2 = `export default async (request) =>
  Response.json({ bytes: Buffer.from(await request.arrayBuffer()).toString("base64") });
export const config = { path: "/probe-v2" };
`;

let root: string;
let server: FunctionsServer | undefined;

beforeAll(async () => {
  requireCliAndBundles();
  root = mkdtempSync(join(tmpdir(), "netlify-scratch-"));
  const site = join(root, "site");
  mkdirSync(join(site, "functions"), { recursive: true });
  writeFileSync(join(site, "package.json"), '{ "private": true }\n');
  writeFileSync(join(site, "netlify.toml"), '[functions]\n  directory = "functions"\n  node_bundler = "none"\n');
  copyFileSync(bundle(V2_FUNCTION), join(site, "functions", `${V2_FUNCTION}.mjs`));
  writeFileSync(join(site, "functions", "probe-v1.mjs"), PROBE_V1);
  writeFileSync(join(site, "functions", "probe-v2.mjs"), PROBE_V2);
  // What a developer's .env might hold: another secret, a tiny body limit.
  writeFileSync(
    join(site, ".env"),
    [
      "COMMERCELAYER_WEBHOOK_SECRET=a-secret-from-dotenv",
      "COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES=10",
      "PROBE_ONLY_IN_DOTENV=dotenv",
      "PROBE_IN_BOTH=dotenv",
      "",
    ].join("\n"),
  );
  server = await startFunctionsServe({
    cwd: site,
    env: cliEnv(join(root, "home"), {
      COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET,
      COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: String(1024 * 1024),
      PROBE_IN_BOTH: "process",
    }),
    functions: [V2_FUNCTION, "probe-v1", "probe-v2"],
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

async function probe(path: string, body: Uint8Array, contentType?: string) {
  const response = await request(`${running().url}${path}`, {
    headers: contentType === undefined ? {} : { "content-type": contentType },
    body,
  });
  expect(response.status, response.text).toBe(200);
  const echoed = JSON.parse(response.text) as { bytes: string; isBase64Encoded?: boolean; [key: string]: unknown };
  return { ...echoed, received: Buffer.from(echoed.bytes, "base64") };
}

describe("the functions' environment", () => {
  it("reads .env files in the site root, but a variable already set in the CLI's environment wins", async () => {
    const echoed = await probe("/.netlify/functions/probe-v1", Buffer.from("{}"), "application/json");
    expect(echoed).toMatchObject({ onlyInDotEnv: "dotenv", inBoth: "process" });
  });

  it("so the webhook uses the secret and limit passed explicitly, not the .env ones", async () => {
    const delivery = signedDelivery("orders.place");
    const response = await request(`${running().url}/webhooks/commercelayer`, {
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ received: true, outcome: "handled" });
  });
});

describe("request bodies in the local emulator", () => {
  const utf8 = Buffer.from('{"name":"José Müller 🛒","total":153.0}', "utf8");
  const notUtf8 = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);

  it("v1: JSON arrives as text, octet-stream as base64 (isBase64Encoded), both byte for byte", async () => {
    expect(await probe("/.netlify/functions/probe-v1", utf8, "application/json")).toMatchObject({
      isBase64Encoded: false,
      received: utf8,
    });
    expect(await probe("/.netlify/functions/probe-v1", notUtf8, "application/octet-stream")).toMatchObject({
      isBase64Encoded: true,
      received: notUtf8,
    });
  });

  it("v2: arrayBuffer() gives the exact bytes for JSON and octet-stream", async () => {
    expect((await probe("/probe-v2", utf8, "application/json")).received).toEqual(utf8);
    expect((await probe("/probe-v2", notUtf8, "application/octet-stream")).received).toEqual(notUtf8);
  });

  it("local quirk: invalid UTF-8 sent as text or JSON is replaced by U+FFFD before the function sees it", async () => {
    const replaced = Buffer.from("{\uFFFD\uFFFD}", "utf8");
    expect((await probe("/.netlify/functions/probe-v1", notUtf8, "application/json")).received).toEqual(replaced);
    expect((await probe("/probe-v2", notUtf8, "text/plain")).received).toEqual(replaced);
  });

  it("local quirk: a body sent without Content-Type is dropped", async () => {
    expect((await probe("/.netlify/functions/probe-v1", utf8)).received).toEqual(Buffer.alloc(0));
    expect((await probe("/probe-v2", utf8)).received).toEqual(Buffer.alloc(0));
  });
});
