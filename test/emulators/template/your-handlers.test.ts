// The template's promise, as a user meets it: replace functions/handlers.ts with a map of your own (other topics, a
// resource pattern, one deferred handler, no options and none of the examples' exports) and functions/external.ts with
// two external kinds of your own, and `npm test` stays green, and the bundles `npm run build` writes serve your maps
// (deferred handler included), deploying your two kinds and no other. Run on a copy of the repository.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify, stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSampleDelivery } from "../../../infra/samples/build.ts";
import { signPayload } from "../../../shared/node/signature.ts";
import { copyRepository } from "../repository-copy.ts";

const run = promisify(execFile);

const USER_HANDLERS = `import { deferred, defineWebhookHandlers } from "../shared/webhooks/handlers-file.ts";

export const handlers = defineWebhookHandlers({
  "gift_cards.activate": async (event) => {
    console.log(JSON.stringify({ msg: "user handler", handler: "gift_cards.activate", id: event.id }));
  },
  "skus.*": async (event) => {
    console.log(JSON.stringify({ msg: "user handler", handler: "skus.*", topic: event.topic }));
  },
  "returns.approve": deferred(async (event) => {
    console.log(JSON.stringify({ msg: "user handler", handler: "returns.approve", id: event.id }));
  }),
});
`;

const USER_EXTERNAL = `import { defineExternalHandlers, failure } from "../shared/external/handlers-file.ts";

export const externalHandlers = defineExternalHandlers({
  "shipping-costs": () => ({ amountCents: 1234 }),
  promotion: (event) =>
    event.data.attributes.subtotal_amount_cents === 0
      ? failure("empty", "nothing to discount")
      : { name: "One cent off", discountCents: 1 },
});
`;

describe("a user's own functions/handlers.ts and functions/external.ts", () => {
  const copy = mkdtempSync(join(tmpdir(), "cl-webhooks-your-handlers-"));
  let testRun: { code: number; output: string };

  beforeAll(async () => {
    copyRepository(copy, { linkNodeModules: true });
    writeFileSync(join(copy, "functions/handlers.ts"), USER_HANDLERS);
    writeFileSync(join(copy, "functions/external.ts"), USER_EXTERNAL);
    const { COMMERCELAYER_TEST_BUILD: _outer, COMMERCELAYER_WEBHOOK_SECRET: _secret, ...env } = process.env;
    // Colours off, and any left stripped: the summary is read as text.
    const plain = stripVTControlCharacters;
    testRun = await run("npm", ["test"], {
      cwd: copy,
      env: { ...env, NO_COLOR: "1" },
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, output: plain(`${stdout}${stderr}`) }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        code: error.code ?? 1,
        output: plain(`${error.stdout ?? ""}${error.stderr ?? ""}`),
      }),
    );
  }, 600_000);

  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it("keeps `npm test` green (build, type check, every suite)", () => {
    expect(testRun.output).toMatch(/Tests\s+\d+ passed \(\d+\)/);
    expect(testRun.output).not.toMatch(/\d+ failed/);
    expect(testRun.code, testRun.output.slice(-3000)).toBe(0);
  });

  it("is what the bundles serve: its topics handled, its deferred handler run after the answer", async () => {
    const { POST } = (await import(pathToFileURL(join(copy, "dist/vercel/commercelayer-webhook.mjs")).href)) as {
      POST: (request: Request) => Promise<Response>;
    };
    const secret = "your-handlers-secret";
    const printed: string[] = [];
    const pending: Promise<unknown>[] = [];
    const context = Symbol.for("@vercel/request-context");
    const globals = globalThis as Record<symbol, unknown>;
    const log = console.log;
    process.env.COMMERCELAYER_WEBHOOK_SECRET = secret;
    globals[context] = { get: () => ({ waitUntil: (promise: Promise<unknown>) => pending.push(promise) }) };
    console.log = (line: string) => void printed.push(line);
    try {
      const send = async (topic: string) => {
        const body = Buffer.from(buildSampleDelivery(topic, { seed: 3 }).body, "utf8");
        const headers = { "x-commercelayer-topic": topic, "x-commercelayer-signature": signPayload(body, secret) };
        const response = await POST(
          new Request("https://x.vercel.app/api/webhooks/commercelayer", { method: "POST", headers, body }),
        );
        return { status: response.status, answer: (await response.json()) as { outcome?: string } };
      };
      expect(await send("gift_cards.activate")).toEqual({
        status: 200,
        answer: { received: true, outcome: "handled" },
      });
      expect(await send("skus.create")).toEqual({ status: 200, answer: { received: true, outcome: "handled" } });
      expect(await send("returns.approve")).toEqual({ status: 200, answer: { received: true, outcome: "handled" } });
      expect(await send("orders.place")).toEqual({ status: 200, answer: { received: true, outcome: "ignored" } });
      await Promise.all(pending);
    } finally {
      console.log = log;
      delete globals[context];
      delete process.env.COMMERCELAYER_WEBHOOK_SECRET;
    }
    const lines = printed.map((line) => JSON.parse(line) as Record<string, unknown>);
    const ran = lines.filter((line) => line.msg === "user handler").map((line) => line.handler);
    expect(ran).toEqual(["gift_cards.activate", "skus.*", "returns.approve"]);
    expect(lines).toContainEqual(
      expect.objectContaining({ platform: "vercel-wait-until", topic: "returns.approve", outcome: "handled" }),
    );
  });

  it("deploys its two external kinds and no other, answered by its handlers", async () => {
    const { config } = (await import(pathToFileURL(join(copy, "dist/netlify/commercelayer-external.mjs")).href)) as {
      config: { path: string[] };
    };
    expect(config.path).toEqual(["/external/shipping-costs", "/external/promotion"]);
    const vercelExternal = readdirSync(join(copy, ".vercel/output/functions/api/external"));
    expect(vercelExternal.sort()).toEqual(["promotion.func", "shipping-costs.func"]);
    const { POST } = (await import(pathToFileURL(join(copy, "dist/vercel/commercelayer-external.mjs")).href)) as {
      POST: (request: Request) => Promise<Response>;
    };
    const secret = "your-external-secret";
    const log = console.log;
    process.env.COMMERCELAYER_SHIPPING_METHOD_SECRET = secret;
    console.log = () => {};
    try {
      const body = Buffer.from(JSON.stringify({ data: { id: "s_1", type: "shipments", attributes: {} } }));
      const headers = { "x-commercelayer-signature": signPayload(body, secret) };
      const response = await POST(
        new Request("https://x.vercel.app/api/external/shipping-costs", { method: "POST", headers, body }),
      );
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: Record<string, unknown> }).data).toMatchObject({
        shipping_amount_cents: 1234,
      });
    } finally {
      console.log = log;
      delete process.env.COMMERCELAYER_SHIPPING_METHOD_SECRET;
    }
  });
});
