// What the stand-in's API answers to requests the SDK would not send: unknown routes, wrong methods, bodies that are
// not JSON:API documents, the wrong media types, an include of no relationship.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CommerceLayerStandIn, startCommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import { apiErrorOf, connectSdk, integrationToken, raw } from "./clients.ts";

let standIn: CommerceLayerStandIn;
let token: string;
let webhookId: string;

beforeAll(async () => {
  standIn = await startCommerceLayerStandIn({ topics: ["orders.place"] });
  token = await integrationToken(standIn);
  const sdk = await connectSdk(standIn);
  webhookId = (await sdk.webhooks.create({ topic: "orders.place", callback_url: "https://receiver.example/" })).id;
});
afterAll(() => standIn.close());

const errorCode = (json: unknown) => (json as { errors: { code: string }[] }).errors[0]?.code;

describe("routes", () => {
  it("answers 404 to a path that is no route, and to an id that names nothing", async () => {
    for (const path of [
      "/api/teleporters",
      "/api/webhooks/x/y/z",
      "/elsewhere",
      `/api/webhooks/${webhookId}/colours`,
    ]) {
      const answer = await raw(standIn, "GET", path, { token });
      expect(answer.status, path).toBe(404);
      expect(errorCode(answer.json), path).toBe("NOT_FOUND");
    }
    const missing = await raw(standIn, "GET", "/api/webhooks/nothingHere", { token });
    expect([missing.status, errorCode(missing.json)]).toEqual([404, "RECORD_NOT_FOUND"]);
    expect(missing.headers.get("content-type")).toBe("application/vnd.api+json");
  });

  it("answers 405, with Allow, to a method the resource does not have", async () => {
    const cases: [string, string, string][] = [
      ["DELETE", "/api/event_callbacks/abc", "GET"],
      ["POST", "/api/events", "GET"],
      ["PUT", `/api/webhooks/${webhookId}`, "GET, PATCH, DELETE"],
      ["POST", "/api/external_gateways", "GET"],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await raw(standIn, method, path, { token, body: "{}" });
      expect([answer.status, answer.headers.get("allow"), errorCode(answer.json)], `${method} ${path}`).toEqual([
        405,
        allow,
        "METHOD_NOT_ALLOWED",
      ]);
    }
  });
});

describe("request documents", () => {
  const update = (body: string, headers: Record<string, string> = {}) =>
    raw(standIn, "PATCH", `/api/webhooks/${webhookId}`, { token, body, headers });

  it("refuses a body that is not JSON, not a document, of another type or another id", async () => {
    const cases: [string, number, string][] = [
      ["{not json", 400, "BAD_REQUEST"],
      [JSON.stringify({ name: "no data" }), 400, "PARAM_MISSING"],
      [JSON.stringify({ data: { type: "orders", id: webhookId, attributes: {} } }), 400, "TYPE_MISMATCH"],
      [JSON.stringify({ data: { type: "webhooks", attributes: {} } }), 400, "PARAM_MISSING"],
      [JSON.stringify({ data: { type: "webhooks", id: "other", attributes: {} } }), 400, "KEY_NOT_INCLUDED_IN_URL"],
      [JSON.stringify({ data: { type: "webhooks", id: webhookId, attributes: [] } }), 400, "BAD_REQUEST"],
      [
        JSON.stringify({ data: { type: "webhooks", id: webhookId, relationships: { market: { data: null } } } }),
        400,
        "PARAM_NOT_ALLOWED",
      ],
    ];
    for (const [body, status, code] of cases) {
      const answer = await update(body);
      expect([answer.status, errorCode(answer.json)], body).toEqual([status, code]);
    }
    const create = await raw(standIn, "POST", "/api/webhooks", {
      token,
      body: JSON.stringify({ data: { type: "webhooks", id: "mine", attributes: {} } }),
    });
    expect([create.status, errorCode(create.json)]).toEqual([400, "PARAM_NOT_ALLOWED"]);
  });

  it("answers 415 to another Content-Type and 406 to an Accept without JSON:API", async () => {
    const body = JSON.stringify({ data: { type: "webhooks", id: webhookId, attributes: { name: "x" } } });
    expect((await update(body, { "content-type": "application/json" })).status).toBe(415);
    expect((await raw(standIn, "GET", "/api/webhooks", { token, headers: { accept: "text/html" } })).status).toBe(406);
    expect((await update(body)).status).toBe(200);
  });

  it("refuses an include that names no relationship, a sparse field of nothing", async () => {
    const sdk = await connectSdk(standIn);
    expect(await apiErrorOf(sdk.webhooks.list({ include: ["owner"] }))).toMatchObject({
      status: 400,
      errors: [{ code: "INVALID_INCLUDE", detail: "owner is not a valid includable relationship of webhooks" }],
    });
    expect(await apiErrorOf(sdk.webhooks.list({ fields: { webhooks: ["colour"] } as never }))).toMatchObject({
      status: 400,
      errors: [{ code: "INVALID_FIELD" }],
    });
  });
});

describe("documents", () => {
  it("carry links, every relationship with its links, and meta as Commerce Layer's", async () => {
    const answer = await raw(standIn, "GET", `/api/webhooks/${webhookId}`, { token });
    expect(answer.json).toEqual({
      data: expect.objectContaining({
        id: webhookId,
        type: "webhooks",
        links: { self: `${standIn.apiEndpoint}/api/webhooks/${webhookId}` },
        relationships: {
          last_event_callbacks: {
            links: {
              self: `${standIn.apiEndpoint}/api/webhooks/${webhookId}/relationships/last_event_callbacks`,
              related: `${standIn.apiEndpoint}/api/webhooks/${webhookId}/last_event_callbacks`,
            },
          },
          event_stores: expect.any(Object),
        },
        meta: { mode: "test", organization_id: standIn.organization.id },
      }),
    });
  });
});
