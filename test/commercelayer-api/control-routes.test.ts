// The stand-in run by hand: main.ts prints the variables to export, and the HTTP control routes under /_stand-in
// seed, emit, inject faults and show what happened, without a token and without being recorded as API requests.
import { createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { CommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import { startProcess } from "../support/http.ts";
import { type Client, type Receiver, useStandInWithReceiver } from "./clients.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let standIn: CommerceLayerStandIn;
let sdk: Client;
let receiver: Receiver;

useStandInWithReceiver({ topics: ["orders.place"] }, (started) => {
  ({ standIn, sdk, receiver } = started);
});

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${standIn.apiEndpoint}/_stand-in${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

describe("the control routes", () => {
  it("seed and emit: the delivery reaches the webhook, signed, and shows under /_stand-in", async () => {
    const webhook = await sdk.webhooks.create({
      topic: "orders.place",
      callback_url: receiver.url,
      include_resources: ["customer"],
    });
    standIn.clearRequests();
    expect(
      await control("POST", "/seed", {
        type: "customers",
        id: "cusByHand1",
        attributes: { email: "hand@example.com" },
      }),
    ).toEqual({
      status: 200,
      json: { type: "customers", id: "cusByHand1" },
    });
    const emitted = await control("POST", "/emit", {
      topic: "orders.place",
      resource: {
        id: "ordByHand1",
        attributes: { status: "placed" },
        relationships: { customer: { type: "customers", id: "cusByHand1" } },
      },
    });
    expect(emitted).toMatchObject({
      status: 200,
      json: { resource: { type: "orders", id: "ordByHand1" }, attempts: [{ ok: true }] },
    });

    const [delivery] = receiver.received;
    expect(delivery?.headers["x-commercelayer-signature"]).toBe(
      createHmac("sha256", webhook.shared_secret)
        .update(delivery?.body as Buffer)
        .digest("base64"),
    );
    expect(JSON.parse(delivery?.body.toString() ?? "").included).toEqual([
      expect.objectContaining({ id: "cusByHand1" }),
    ]);
    expect((await control("GET", "/webhooks")).json).toEqual([
      expect.objectContaining({ shared_secret: webhook.shared_secret }),
    ]);
    expect((await control("GET", "/deliveries")).json).toHaveLength(1);
    expect((await control("GET", "/event-callbacks")).json).toEqual([
      expect.objectContaining({ response_code: "200" }),
    ]);
    expect(standIn.requests()).toEqual([]);
  });

  it("inject faults, tell the endpoints, refuse what they do not know", async () => {
    expect((await control("POST", "/fail-next", { method: "GET", pathPattern: "^/api/web", status: 503 })).status).toBe(
      200,
    );
    await expect(sdk.webhooks.list()).rejects.toMatchObject({ status: 503 });
    expect((await control("GET", "")).json).toMatchObject({
      apiEndpoint: standIn.apiEndpoint,
      authEndpoint: standIn.authEndpoint,
      clientId: standIn.clientId,
    });
    expect(await control("POST", "/emit", { resource: {} })).toEqual({
      status: 400,
      json: { error: "topic is required" },
    });
    expect((await control("POST", "/emit", { topic: "no-topic" })).status).toBe(400);
    expect((await control("GET", "/nothing")).status).toBe(404);
  });
});

describe("main.ts", () => {
  it("starts a stand-in and prints the four variables that point a client at it", async () => {
    const started = await startProcess(
      process.execPath,
      ["--import", "tsx", "test/support/commercelayer-api/main.ts", "--port", "0"],
      {
        cwd: ROOT,
        env: process.env,
        ready: /export COMMERCELAYER_CLIENT_SECRET=(\S+)/,
        timeoutMs: 20_000,
      },
    );
    try {
      const output = started.output();
      const variable = (name: string) => new RegExp(`export ${name}=(\\S+)`).exec(output)?.[1] ?? "";
      const apiEndpoint = variable("COMMERCELAYER_API_ENDPOINT");
      expect(apiEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(variable("COMMERCELAYER_AUTH_ENDPOINT")).toBe(apiEndpoint);
      const token = await fetch(`${variable("COMMERCELAYER_AUTH_ENDPOINT")}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          grant_type: "client_credentials",
          client_id: variable("COMMERCELAYER_CLIENT_ID"),
          client_secret: variable("COMMERCELAYER_CLIENT_SECRET"),
        }),
      });
      expect(token.status).toBe(200);
      expect(output).toContain(`${apiEndpoint}/_stand-in/emit`);
    } finally {
      await started.stop();
    }
  });
});
