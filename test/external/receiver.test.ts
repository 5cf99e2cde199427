// createExternalReceiver on Node's runtime and on Web Crypto's: routing, each kind's own secrets (never another
// resource's), the checks before the handler in the webhook receiver's order and statuses, the handler's answer or
// failure, the one log line per call, and the event's lookups in `included`.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ExternalLogEntry } from "../../shared/core/log.ts";
import type { ReceiverRuntime } from "../../shared/core/runtime.ts";
import type { ExternalEvent, ExternalHandlers } from "../../shared/external/handlers.ts";
import { EXTERNAL_KIND_NAMES, EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { createExternalReceiver, type ExternalOptions } from "../../shared/external/receiver.ts";
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import { signPayload } from "../../shared/node/signature.ts";
import { WEB_RUNTIME } from "../../shared/web/runtime.ts";
import { externalHandlers } from "../fixtures/external-handlers.ts";
import { EXPECTED_FAILURE, EXPECTED_SUCCESS, REFUSED_ID } from "../support/external-expected.ts";
import {
  EXTERNAL_SECRETS,
  externalSecretEnv,
  pathOf,
  SECRET_VARIABLES,
  secretOf,
  signedExternalCall,
} from "../support/external-requests.ts";

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

function stubSecrets(env: Record<string, string> = externalSecretEnv()): void {
  for (const variable of SECRET_VARIABLES) vi.stubEnv(variable, "");
  vi.stubEnv("COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES", "");
  vi.stubEnv("COMMERCELAYER_WEBHOOK_BUDGET_MS", "");
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

beforeEach(() => stubSecrets());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const RUNTIMES: readonly [string, ReceiverRuntime][] = [
  ["Node runtime", NODE_RUNTIME],
  ["Web runtime", WEB_RUNTIME],
];

describe.each(RUNTIMES)("createExternalReceiver on the %s", (_name, runtime) => {
  let logs: ExternalLogEntry[];
  beforeEach(() => {
    logs = [];
  });

  function endpointOf(handlers: ExternalHandlers = externalHandlers, options: ExternalOptions = {}) {
    return createExternalReceiver(runtime, handlers, { log: (entry) => void logs.push(entry), ...options });
  }

  async function send(
    request: { path?: string; method?: string; headers?: Record<string, string | string[]>; body?: Buffer | string },
    handlers?: ExternalHandlers,
    options?: ExternalOptions,
  ): Promise<Answer> {
    const answer = await endpointOf(handlers, options).answer({
      method: request.method ?? "POST",
      headers: request.headers ?? {},
      body: typeof request.body === "string" ? request.body : new Uint8Array(request.body ?? Buffer.alloc(0)),
      url: `https://example.com${request.path ?? "/"}`,
    });
    return { status: answer.status, headers: answer.headers, body: JSON.parse(answer.body), text: answer.body };
  }

  const sendCall = (
    kind: ExternalKind,
    options: { id?: string; secret?: string; body?: string | Buffer; path?: string } = {},
    handlers?: ExternalHandlers,
    endpointOptions?: ExternalOptions,
  ) => {
    const call = signedExternalCall(kind, options);
    return send({ path: options.path ?? call.path, headers: call.headers, body: call.body }, handlers, endpointOptions);
  };

  const errorCode = (answer: Answer) => (answer.body.error as { code: string }).code;

  describe("each kind's documents", () => {
    it.each(EXTERNAL_KIND_NAMES)("%s: the handler's result as its exact document", async (kind) => {
      const answer = await sendCall(kind);
      expect({ status: answer.status, body: answer.body }).toEqual(EXPECTED_SUCCESS[kind]);
      expect(answer.headers["content-type"]).toMatch(/^application\/json/);
      expect(logs).toEqual([
        expect.objectContaining({ kind, outcome: "answered", status: EXPECTED_SUCCESS[kind].status }),
      ]);
    });

    it.each(EXTERNAL_KIND_NAMES)("%s: the handler's failure as its exact error document", async (kind) => {
      const answer = await sendCall(kind, { id: REFUSED_ID });
      expect({ status: answer.status, body: answer.body }).toEqual(EXPECTED_FAILURE[kind]);
      expect(logs).toEqual([expect.objectContaining({ kind, id: REFUSED_ID, outcome: "refused" })]);
    });

    it("a pending authorization: 202 with data.action_id", async () => {
      const answer = await sendCall("payment-gateway/authorize", { id: "async_7" });
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({
        success: true,
        data: {
          transaction_token: "auth_async_7",
          amount_cents: 7625,
          action_id: "act_async_7",
          metadata: { order: "ord_xYz1" },
        },
      });
    });
  });

  describe("routing", () => {
    it.each([
      ["/api/external/payment-gateway/capture", "payment-gateway/capture"],
      ["/payment-gateway/capture", "payment-gateway/capture"],
      ["/a/b/c/tax-calculator/", "tax-calculator"],
      ["/tax-calculator?market=eu", "tax-calculator"],
      ["/.netlify/functions/external/prices", "prices"],
    ] as const)("%s is %s", async (path, kind) => {
      const answer = await sendCall(kind, { path });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(EXPECTED_SUCCESS[kind].body);
    });

    it.each([
      "/api/external/nothing",
      "/api/external/authorize",
      "/api/external/my-tax-calculator",
      "/api/external/tax-calculator/more",
      "/",
    ])("%s: 404 not_implemented", async (path) => {
      const answer = await sendCall("tax-calculator", { path });
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({
        success: false,
        error: { code: "not_implemented", message: "no handler for this external resource here" },
      });
      expect(logs).toEqual([expect.objectContaining({ outcome: "rejected", reason: "not_implemented", status: 404 })]);
    });

    it("routes by request.path where a shape has no whole URL (Node, API Gateway)", async () => {
      const call = signedExternalCall("promotion");
      const answer = await endpointOf().answer({
        method: "POST",
        headers: call.headers,
        body: call.body,
        path: "/prod/external/promotion",
      });
      expect(JSON.parse(answer.body)).toEqual(EXPECTED_SUCCESS.promotion.body);
    });

    it("a kind without a handler here: 404 not_implemented, the handler map untouched", async () => {
      const prices = vi.fn(externalHandlers.prices);
      const answer = await sendCall("tax-calculator", {}, { prices });
      expect(answer.status).toBe(404);
      expect(errorCode(answer)).toBe("not_implemented");
      expect(logs[0]).toMatchObject({ kind: "tax-calculator", reason: "not_implemented" });
      expect(prices).not.toHaveBeenCalled();
    });

    it("options.kind serves that kind whatever the path", async () => {
      const answer = await sendCall("prices", { path: "/api/tax-calculator" }, undefined, { kind: "prices" });
      expect(answer.body).toEqual(EXPECTED_SUCCESS.prices.body);
      const other = await sendCall("prices", { path: "/" }, undefined, { kind: "prices" });
      expect(other.status).toBe(200);
    });

    it.each(["GET", "PUT", "HEAD", "OPTIONS"])("%s: 405 with Allow: POST", async (method) => {
      const answer = await send({ method, path: pathOf("prices") });
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe("POST");
      expect(errorCode(answer)).toBe("method_not_allowed");
    });
  });

  describe("secrets", () => {
    it.each(EXTERNAL_KIND_NAMES)("%s: verified with its own variable only", async (kind) => {
      const variable = EXTERNAL_KINDS[kind].secretEnv;
      stubSecrets({ [variable]: EXTERNAL_SECRETS[variable] });
      expect((await sendCall(kind)).status).toBe(EXPECTED_SUCCESS[kind].status);
    });

    // Every kind against every other resource's secret, all of them configured: never a 2xx.
    const CROSS = EXTERNAL_KIND_NAMES.flatMap((kind) =>
      SECRET_VARIABLES.filter((variable) => variable !== EXTERNAL_KINDS[kind].secretEnv).map(
        (variable) => [kind, variable] as const,
      ),
    );
    it.each(CROSS)("%s signed with %s: 401 invalid_signature", async (kind, variable) => {
      const answer = await sendCall(kind, { secret: EXTERNAL_SECRETS[variable] });
      expect(answer.status).toBe(401);
      expect(errorCode(answer)).toBe("invalid_signature");
      expect(logs[0]).toMatchObject({ kind, outcome: "rejected", reason: "invalid_signature", status: 401 });
    });

    it("a call to /tax-calculator signed with COMMERCELAYER_MARKET_SECRET: 401", async () => {
      const answer = await sendCall("tax-calculator", { secret: EXTERNAL_SECRETS.COMMERCELAYER_MARKET_SECRET });
      expect(answer.status).toBe(401);
    });

    it("comma-separated secrets: a rotation, or several markets, each verifies", async () => {
      stubSecrets({ COMMERCELAYER_MARKET_SECRET: " old-market , new-market ," });
      for (const secret of ["old-market", "new-market"]) {
        expect((await sendCall("prices", { secret })).status).toBe(200);
        expect((await sendCall("order-validation", { secret })).status).toBe(200);
      }
      expect((await sendCall("prices", { secret: "other" })).status).toBe(401);
    });

    it("the environment is read at each call", async () => {
      const endpointOptions = {};
      expect((await sendCall("promotion", {}, undefined, endpointOptions)).status).toBe(200);
      stubSecrets({ COMMERCELAYER_PROMOTION_SECRET: "rotated" });
      expect((await sendCall("promotion", {}, undefined, endpointOptions)).status).toBe(401);
      expect((await sendCall("promotion", { secret: "rotated" }, undefined, endpointOptions)).status).toBe(200);
    });

    it("options.secrets as a record: per variable, over the environment", async () => {
      const options: ExternalOptions = { secrets: { COMMERCELAYER_TAX_CALCULATOR_SECRET: ["from-options"] } };
      expect((await sendCall("tax-calculator", { secret: "from-options" }, undefined, options)).status).toBe(200);
      expect((await sendCall("tax-calculator", {}, undefined, options)).status).toBe(401);
      // The record names the tax calculator's secret only: a market's call is no more verified with it.
      expect((await sendCall("prices", { secret: "from-options" }, undefined, options)).status).toBe(401);
    });

    it("options.secrets as a function of the kind", async () => {
      const secrets = vi.fn((kind: ExternalKind) => (kind === "shipping-costs" ? ["fn-secret"] : undefined));
      const options: ExternalOptions = { secrets };
      expect((await sendCall("shipping-costs", { secret: "fn-secret" }, undefined, options)).status).toBe(200);
      expect(secrets).toHaveBeenCalledWith("shipping-costs");
      // No secret for the kind from the function: not configured, whatever the environment holds.
      const prices = await sendCall("prices", {}, undefined, options);
      expect(prices.status).toBe(500);
      expect(errorCode(prices)).toBe("no_secret_configured");
    });

    it.each(EXTERNAL_KIND_NAMES)(
      "%s without its secret: 500 no_secret_configured, the hint names the variable",
      async (kind) => {
        const variable = EXTERNAL_KINDS[kind].secretEnv;
        stubSecrets({ ...externalSecretEnv(), [variable]: "" });
        const answer = await sendCall(kind);
        expect(answer.status).toBe(500);
        expect(errorCode(answer)).toBe("no_secret_configured");
        expect(logs[0]).toMatchObject({
          kind,
          outcome: "failed",
          reason: "no_secret_configured",
          hint: `set ${variable}`,
        });
      },
    );
  });

  describe("before the handler", () => {
    it("a body over the limit: 413 before any hashing", async () => {
      const verify = vi.fn(runtime.verifySignature);
      const spied: ReceiverRuntime = { ...runtime, verifySignature: verify };
      const call = signedExternalCall("prices");
      const endpoint = createExternalReceiver(spied, externalHandlers, {
        maxBodyBytes: call.body.length - 1,
        log: (entry) => void logs.push(entry),
      });
      const answer = await endpoint.answer({
        method: "POST",
        headers: call.headers,
        body: new Uint8Array(call.body),
        url: call.path,
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error.code).toBe("body_too_large");
      expect(verify).not.toHaveBeenCalled();
      expect(logs[0]).toMatchObject({ reason: "body_too_large", status: 413 });
      // At the limit exactly, it is read.
      const atLimit = createExternalReceiver(spied, externalHandlers, {
        maxBodyBytes: call.body.length,
        log: () => {},
      });
      expect(
        (await atLimit.answer({ method: "POST", headers: call.headers, body: call.body, url: call.path })).status,
      ).toBe(200);
    });

    it("the limit from COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES", async () => {
      vi.stubEnv("COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES", "64");
      expect((await sendCall("prices")).status).toBe(413);
    });

    it("no signature: 401 missing_signature", async () => {
      const call = signedExternalCall("prices");
      const answer = await send({ path: call.path, headers: { "content-type": "application/json" }, body: call.body });
      expect(answer.status).toBe(401);
      expect(errorCode(answer)).toBe("missing_signature");
    });

    it("an empty signature: 401 missing_signature", async () => {
      const call = signedExternalCall("prices");
      const answer = await send({ path: call.path, headers: { "x-commercelayer-signature": "" }, body: call.body });
      expect(answer.status).toBe(401);
    });

    it("the signature header twice: 401 duplicate_signature_header", async () => {
      const call = signedExternalCall("prices");
      const signature = call.headers["x-commercelayer-signature"] as string;
      const answer = await send({
        path: call.path,
        headers: { "x-commercelayer-signature": [signature, signature] },
        body: call.body,
      });
      expect(answer.status).toBe(401);
      expect(errorCode(answer)).toBe("duplicate_signature_header");
    });

    it("a forged signature, or a body changed after signing: 401 invalid_signature", async () => {
      const call = signedExternalCall("prices");
      const forged = await send({
        path: call.path,
        headers: { "x-commercelayer-signature": signPayload(call.body, "guess") },
        body: call.body,
      });
      expect(forged.status).toBe(401);
      const changed = Buffer.from(call.body.toString("utf8").replace("2500", "1"));
      const tampered = await send({ path: call.path, headers: call.headers, body: changed });
      expect(tampered.status).toBe(401);
      expect(errorCode(tampered)).toBe("invalid_signature");
      expect(logs[1]?.hint).toMatch(/bytes received: check COMMERCELAYER_MARKET_SECRET/);
    });

    it.each([
      ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
      ["not JSON", Buffer.from("data=1")],
      ["no data", Buffer.from('{"included":[]}')],
      ["data without an id", Buffer.from('{"data":{"type":"line_items"}}')],
      ["data an array", Buffer.from('[{"data":{}}]')],
      ["included not an array", Buffer.from('{"data":{"id":"a","type":"line_items"},"included":{}}')],
    ])("signed but %s: 400 invalid_payload, no handler called", async (_what, body) => {
      const prices = vi.fn(externalHandlers.prices);
      const answer = await sendCall("prices", { body }, { prices });
      expect(answer.status).toBe(400);
      expect(errorCode(answer)).toBe("invalid_payload");
      expect(prices).not.toHaveBeenCalled();
    });

    it.each(EXTERNAL_KIND_NAMES.filter((kind) => EXTERNAL_KINDS[kind].resource !== undefined))(
      "%s with another data.type: 400 resource_type_mismatch",
      async (kind) => {
        // No kind receives skus.
        const other = "skus";
        const body = JSON.stringify({ data: { id: "x_1", type: other, attributes: {} } });
        const answer = await sendCall(kind, { body });
        expect(answer.status).toBe(400);
        expect(errorCode(answer)).toBe("resource_type_mismatch");
        expect(logs[0]).toMatchObject({ kind, id: "x_1", reason: "resource_type_mismatch" });
      },
    );

    it("customer token: any data.type (it is not documented)", async () => {
      const body = JSON.stringify({ data: { id: "x_1", type: "whatever", relationships: {} } });
      const answer = await sendCall(
        "payment-gateway/customer-token",
        { body },
        {
          "payment-gateway/customer-token": (event) => ({ customerToken: `t_${event.data.type}` }),
        },
      );
      expect(answer.body).toEqual({ success: true, data: { customer_token: "t_whatever" } });
    });
  });

  describe("the handler", () => {
    it("throws: 500 handler_failed, generic message, nothing of the error in the answer", async () => {
      const answer = await sendCall("tax-calculator", { id: "throw_1" });
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ success: false, error: { code: "handler_failed", message: "the handler failed" } });
      expect(answer.text).not.toMatch(/secret-detail|fixture handler|at |\.ts/);
      expect(logs).toEqual([
        expect.objectContaining({
          kind: "tax-calculator",
          id: "throw_1",
          outcome: "failed",
          reason: "handler_failed",
          status: 500,
          errors: ["Error: fixture handler threw for throw_1: secret-detail"],
        }),
      ]);
    });

    it("throws on a payment kind: the generic error also in data.error", async () => {
      const answer = await sendCall("payment-gateway/void", { id: "throw_2" });
      const error = { code: "handler_failed", message: "the handler failed" };
      expect(answer.body).toEqual({ success: false, error, data: { error } });
    });

    it("returns a result of the wrong shape: 500 invalid_handler_result, the reason in the log", async () => {
      const answer = await sendCall("shipping-costs", {}, { "shipping-costs": () => ({ amountCents: 10.5 }) });
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({
        success: false,
        error: { code: "invalid_handler_result", message: "the handler's result is not one this kind sends" },
      });
      expect(logs[0]).toMatchObject({
        kind: "shipping-costs",
        outcome: "failed",
        reason: "invalid_handler_result",
        hint: expect.stringMatching(/amountCents/),
      });
    });

    it.each([
      ["{ failure: null }", { failure: null }],
      ["errors not a list", { failure: { code: "c", message: "m", errors: "is blocked" } }],
      ["errors without messages", { failure: { code: "c", message: "m", errors: [null] } }],
    ])("returns a malformed failure (%s): 500 invalid_handler_result, never a throw", async (_what, result) => {
      const handlers = { "order-validation": () => result } as unknown as ExternalHandlers;
      const answer = await sendCall("order-validation", {}, handlers);
      expect(answer.status).toBe(500);
      expect(errorCode(answer)).toBe("invalid_handler_result");
    });

    it("returns nothing: 500 invalid_handler_result", async () => {
      const handlers = { promotion: () => undefined } as unknown as ExternalHandlers;
      expect(errorCode(await sendCall("promotion", {}, handlers))).toBe("invalid_handler_result");
    });

    it("runs past handlerBudgetMs: one at_risk line, then the answer marked slow", async () => {
      const slow: ExternalHandlers = {
        prices: async (event) => {
          await new Promise((resolve) => setTimeout(resolve, 80));
          return { skuCode: event.id, unitAmountCents: 1 };
        },
      };
      const answer = await sendCall("prices", {}, slow, { handlerBudgetMs: 20 });
      expect(answer.status).toBe(200);
      expect(logs).toEqual([
        expect.objectContaining({ kind: "prices", outcome: "at_risk", reason: "handler_budget_exceeded" }),
        expect.objectContaining({ kind: "prices", outcome: "answered", status: 200, slow: true }),
      ]);
      expect(logs[0]?.ms).toBeGreaterThanOrEqual(15);
    });

    it("a fast handler: no at_risk line", async () => {
      await sendCall("prices", {}, undefined, { handlerBudgetMs: 5000 });
      expect(logs.map((entry) => entry.outcome)).toEqual(["answered"]);
      expect(logs[0]).not.toHaveProperty("slow");
    });

    it("the event: kind, id, data, payload, and lookups over included", async () => {
      let seen: ExternalEvent<"payment-gateway/capture"> | undefined;
      const answer = await sendCall(
        "payment-gateway/capture",
        { id: "auth_9" },
        {
          "payment-gateway/capture": (event) => {
            seen = event;
            return { transactionToken: "t", amountCents: 1 };
          },
        },
      );
      expect(answer.status).toBe(200);
      if (seen === undefined) throw new Error("the handler did not run");
      expect(seen.kind).toBe("payment-gateway/capture");
      expect(seen.id).toBe("auth_9");
      expect(seen.data.type).toBe("authorizations");
      expect(seen.payload.data).toBe(seen.data);
      const order = seen.relatedOne("order");
      expect(order?.id).toBe("ord_xYz1");
      expect(seen.relatedMany("line_items", order).map((line) => line.id)).toEqual(["li_1", "li_2"]);
      expect(seen.relatedOne("market", order)?.attributes).toEqual({ name: "Europe", number: 401 });
      expect(seen.find({ type: "skus", id: "sku_2" })?.attributes).toMatchObject({ code: "MUGXXXXX000000FFFFFFXXXX" });
      expect(seen.find({ type: "skus", id: "nope" })).toBeUndefined();
      expect(seen.relatedOne("customer")).toBeUndefined();
      expect(seen.relatedMany("captures")).toEqual([]);
    });
  });

  it("Ruby floats: verified over the exact bytes, `25.0` kept; the re-serialized body does not verify", async () => {
    const call = signedExternalCall("prices");
    const text = call.body.toString("utf8");
    expect(text).toContain('"unit_amount_float":25.0');
    let amount: unknown;
    const handlers: ExternalHandlers = {
      prices: (event) => {
        amount = (event.data.attributes as Record<string, unknown>).unit_amount_float;
        return { skuCode: "s", unitAmountCents: 2500 };
      },
    };
    expect((await send({ path: call.path, headers: call.headers, body: call.body }, handlers)).status).toBe(200);
    expect(amount).toBe(25);
    const reserialized = JSON.stringify(JSON.parse(text));
    expect(reserialized).not.toBe(text);
    const answer = await send({ path: call.path, headers: call.headers, body: reserialized }, handlers);
    expect(answer.status).toBe(401);
    // A string body is hashed as its UTF-8 bytes: the same text as a string verifies too.
    expect((await send({ path: call.path, headers: call.headers, body: text }, handlers)).status).toBe(200);
  });
});

describe("the default log line", () => {
  it("one JSON line: msg, kind, id, outcome, status, ms; never the secret, the signature or payload values", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const endpoint = createExternalReceiver(NODE_RUNTIME, externalHandlers, { platform: "test" });
    const calls = [
      signedExternalCall("order-validation"),
      signedExternalCall("order-validation", { id: REFUSED_ID }),
      signedExternalCall("order-validation", { secret: EXTERNAL_SECRETS.COMMERCELAYER_PROMOTION_SECRET }),
    ];
    for (const call of calls)
      await endpoint.answer({ method: "POST", headers: call.headers, body: call.body, url: call.path });
    expect(lines).toHaveLength(3);
    const entries = lines.map((line) => JSON.parse(line));
    expect(entries[0]).toEqual({
      level: "info",
      msg: "commercelayer external",
      platform: "test",
      kind: "order-validation",
      id: "orders_1",
      outcome: "answered",
      status: 200,
      ms: expect.any(Number),
    });
    expect(entries[1]).toMatchObject({ level: "info", outcome: "refused", reason: "invalid_order", status: 422 });
    expect(entries[2]).toMatchObject({ level: "warn", outcome: "rejected", reason: "invalid_signature", status: 401 });
    const all = lines.join("\n");
    for (const secret of Object.values(EXTERNAL_SECRETS)) expect(all).not.toContain(secret);
    for (const call of calls) expect(all).not.toContain(call.headers["x-commercelayer-signature"]);
    for (const value of ["jane@example.com", "TSHIRT", "Firenze", "2485862", "is blocked", secretOf("prices")])
      expect(all).not.toContain(value);
  });
});
