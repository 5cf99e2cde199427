// Fault injection and the record of requests, as a client's tests use them: the next N requests matching a method
// and a path answer a status (with Commerce Layer's error document and, for 429, Retry-After) or lose their
// connection, and every request is counted by method and path.
import { authenticate } from "@commercelayer/js-auth";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type CommerceLayerStandIn, startCommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import { apiErrorOf, type Client, connectSdk, integrationToken, raw, withAuthAt } from "./clients.ts";

let standIn: CommerceLayerStandIn;
let sdk: Client;

beforeAll(async () => {
  standIn = await startCommerceLayerStandIn({ topics: ["orders.place"], tokenRequestsPerMinute: 0 });
  sdk = await connectSdk(standIn);
});
afterAll(() => standIn.close());
beforeEach(() => {
  standIn.reset();
});

const CALLBACK = "https://receiver.example/";

describe("failNext", () => {
  it("answers the next matching request with the status and Commerce Layer's error, then serves again", async () => {
    standIn.failNext({ method: "GET", path: "/api/webhooks", status: 500 });
    expect(await apiErrorOf(sdk.webhooks.list())).toMatchObject({
      status: 500,
      errors: [{ code: "INTERNAL_SERVER_ERROR", status: "500" }],
    });
    await expect(sdk.webhooks.list()).resolves.toHaveLength(0);
    expect(standIn.requests().map(({ status, fault }) => [status, fault])).toEqual([
      [500, true],
      [200, false],
    ]);
  });

  it("answers 401, 403, 404 and 422 with their documents, only for the method it names", async () => {
    const cases: [number, string][] = [
      [401, "INVALID_TOKEN"],
      [403, "FORBIDDEN"],
      [404, "RECORD_NOT_FOUND"],
      [422, "VALIDATION_ERROR"],
    ];
    for (const [status, code] of cases) {
      standIn.failNext({ method: "POST", path: "/api/webhooks", status });
      await expect(sdk.webhooks.list()).resolves.toBeDefined();
      expect(await apiErrorOf(sdk.webhooks.create({ topic: "orders.place", callback_url: CALLBACK }))).toMatchObject({
        status,
        errors: [{ code }],
      });
    }
    expect(standIn.webhooks()).toEqual([]);
  });

  it("sends Retry-After with a 429", async () => {
    const token = await integrationToken(standIn);
    standIn.failNext({ path: "/api/webhooks", status: 429, retryAfterSeconds: 2 });
    const limited = await raw(standIn, "GET", "/api/webhooks", { token });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect(limited.json).toMatchObject({ errors: [{ code: "TOO_MANY_REQUESTS", status: "429" }] });
    standIn.failNext({ path: "/api/webhooks", status: 429 });
    expect((await raw(standIn, "GET", "/api/webhooks", { token })).headers.get("retry-after")).toBe("1");
  });

  it("answers `times` requests, on paths a pattern matches", async () => {
    const webhook = await sdk.webhooks.create({ topic: "orders.place", callback_url: CALLBACK });
    standIn.failNext({ method: "PATCH", path: /^\/api\/webhooks\/[^/]+$/, status: 500, times: 2 });
    await expect(sdk.webhooks.update({ id: webhook.id, name: "a" })).rejects.toMatchObject({ status: 500 });
    await expect(sdk.webhooks.update({ id: webhook.id, name: "b" })).rejects.toMatchObject({ status: 500 });
    await expect(sdk.webhooks.update({ id: webhook.id, name: "c" })).resolves.toMatchObject({ name: "c" });
  });

  it("drops the connection: the client sees a network error", async () => {
    standIn.failNext({ path: "/api/webhooks", dropConnection: true });
    const error = await sdk.webhooks.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toHaveProperty("status");
    expect(standIn.requests()).toEqual([expect.objectContaining({ path: "/api/webhooks", status: 0, fault: true })]);
    await expect(sdk.webhooks.list()).resolves.toHaveLength(0);
  });

  it("waits before answering when asked", async () => {
    standIn.failNext({ path: "/api/webhooks", status: 500, delayMs: 150 });
    const started = Date.now();
    await expect(sdk.webhooks.list()).rejects.toMatchObject({ status: 500 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("answers the token endpoint with its own error shape", async () => {
    standIn.failNext({ method: "POST", path: "/oauth/token", status: 500 });
    const answer = await withAuthAt(standIn, () =>
      authenticate("client_credentials", { clientId: standIn.clientId, clientSecret: standIn.clientSecret }),
    );
    expect(answer.errors?.[0]).toMatchObject({ status: 500, code: "INTERNAL_SERVER_ERROR" });
    expect(standIn.requests({ path: "/oauth/token" })).toEqual([expect.objectContaining({ status: 500, fault: true })]);
  });
});

describe("the record of requests", () => {
  it("tells a second run that only read from one that wrote", async () => {
    const webhook = await sdk.webhooks.create({ topic: "orders.place", callback_url: CALLBACK });
    expect(standIn.writeRequests().map(({ method, path }) => `${method} ${path}`)).toEqual(["POST /api/webhooks"]);

    standIn.clearRequests();
    await sdk.webhooks.list({ filters: { topic_eq: "orders.place" }, pageSize: 25 });
    await sdk.webhooks.retrieve(webhook.id);
    expect(standIn.writeRequests()).toEqual([]);
    expect(standIn.requests({ method: "GET" })).toHaveLength(2);
    expect(standIn.requests()[0]?.query).toEqual({
      "filter[q][topic_eq]": "orders.place",
      "page[number]": "1",
      "page[size]": "25",
    });
  });
});
