// The stand-in's token endpoint and bearer check, driven by js-auth and the SDK as a client of Commerce Layer drives
// the real ones.
import {
  authenticate,
  getCoreApiBaseEndpoint,
  jwtDecode,
  jwtIsIntegration,
  jwtVerify,
  makeIntegration,
  revoke,
  type Storage,
  type StorageValue,
} from "@commercelayer/js-auth";
import { CommerceLayer } from "@commercelayer/sdk/bundle";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CommerceLayerStandIn, startCommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import { fetchVia, integrationToken, raw, withAuthAt } from "./clients.ts";

let standIn: CommerceLayerStandIn;

beforeAll(async () => {
  standIn = await startCommerceLayerStandIn({ organization: "acme-test", tokenRequestsPerMinute: 0 });
});
afterAll(() => standIn.close());

function memoryStorage(): Storage {
  const items = new Map<string, StorageValue>();
  return {
    name: "memory",
    getItem: async (key) => items.get(key) ?? null,
    setItem: async (key, value) => void items.set(key, value),
    removeItem: async (key) => void items.delete(key),
  };
}

describe("POST /oauth/token", () => {
  it("issues an integration token that js-auth reads, verifies and derives the organization's endpoint from", async () => {
    const answer = await withAuthAt(standIn, () =>
      authenticate("client_credentials", { clientId: standIn.clientId, clientSecret: standIn.clientSecret }),
    );
    expect(answer.errors).toBeUndefined();
    expect(answer).toMatchObject({ tokenType: "bearer", scope: "market:all", expiresIn: 14_400 });
    expect(answer.expires.getTime()).toBeGreaterThan(Date.now());

    const { header, payload } = jwtDecode(answer.accessToken);
    expect(header).toMatchObject({ alg: "RS512", typ: "JWT" });
    expect(payload).toMatchObject({
      organization: { slug: "acme-test", id: standIn.organization.id },
      application: { kind: "integration", public: false },
      scope: "market:all",
      test: true,
    });
    expect(jwtIsIntegration(payload)).toBe(true);
    expect(payload.exp - payload.iat).toBe(14_400);
    expect(getCoreApiBaseEndpoint(answer.accessToken)).toBe("https://acme-test.commercelayer.io");
    // jwtVerify fetches the issuer's keys (https://auth.commercelayer.io/.well-known/jwks.json): the stand-in's.
    await expect(withAuthAt(standIn, () => jwtVerify(answer.accessToken))).resolves.toMatchObject({ payload });
  });

  it("refuses wrong credentials with Commerce Layer's error, and counts every request", async () => {
    const before = standIn.tokenRequests().length;
    const answer = await withAuthAt(standIn, () =>
      authenticate("client_credentials", { clientId: standIn.clientId, clientSecret: "not-the-secret" }),
    );
    expect(answer.errors?.[0]).toMatchObject({ title: "invalid_client", code: "UNAUTHORIZED", status: 401 });
    expect(answer).not.toHaveProperty("accessToken");
    expect(standIn.tokenRequests().slice(before)).toEqual([
      expect.objectContaining({ grantType: "client_credentials", clientId: standIn.clientId, status: 401 }),
    ]);
  });

  it("takes the credentials as a form and through HTTP Basic too", async () => {
    const form = await fetch(`${standIn.authEndpoint}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: standIn.clientId,
        client_secret: standIn.clientSecret,
      }),
    });
    expect(form.status).toBe(200);
    const basic = await fetch(`${standIn.authEndpoint}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`${standIn.clientId}:${standIn.clientSecret}`).toString("base64")}`,
      },
      body: JSON.stringify({ grant_type: "client_credentials" }),
    });
    expect(await basic.json()).toMatchObject({ token_type: "bearer", expires_in: 14_400, scope: "market:all" });
  });

  it("lets a client that caches its token ask once (js-auth's makeIntegration)", async () => {
    const before = standIn.tokenRequests().length;
    const integration = makeIntegration(
      { clientId: standIn.clientId, clientSecret: standIn.clientSecret },
      { storage: memoryStorage() },
    );
    const first = await withAuthAt(standIn, () => integration.getAuthorization());
    const second = await withAuthAt(standIn, () => integration.getAuthorization());
    expect(second.accessToken).toBe(first.accessToken);
    expect(standIn.tokenRequests().length - before).toBe(1);
  });

  it("answers 429 past 30 requests a minute, as Commerce Layer's token endpoint", async () => {
    const limited = await startCommerceLayerStandIn();
    try {
      const ask = () =>
        fetch(`${limited.authEndpoint}/oauth/token`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            grant_type: "client_credentials",
            client_id: limited.clientId,
            client_secret: limited.clientSecret,
          }),
        });
      const statuses = [];
      for (let i = 0; i < 31; i++) statuses.push((await ask()).status);
      expect(statuses.slice(0, 30).every((status) => status === 200)).toBe(true);
      const refused = await ask();
      expect(refused.status).toBe(429);
      expect(await refused.json()).toMatchObject({ errors: [{ code: "TOO_MANY_REQUESTS", status: 429 }] });
    } finally {
      await limited.close();
    }
  });
});

describe("the bearer token on /api", () => {
  it("is required: none, garbage, another stand-in's, an expired one and a revoked one are 401 INVALID_TOKEN", async () => {
    const other = await startCommerceLayerStandIn({ tokenRequestsPerMinute: 0 });
    const othersToken = await integrationToken(other);
    await other.close();
    standIn.setTokenLifetime(0);
    const expired = await integrationToken(standIn);
    standIn.setTokenLifetime(14_400);
    const revoked = await integrationToken(standIn);
    await withAuthAt(standIn, () =>
      revoke({ clientId: standIn.clientId, clientSecret: standIn.clientSecret, token: revoked }),
    );

    for (const token of [undefined, "not.a.token", othersToken, expired, revoked]) {
      const answer = await raw(standIn, "GET", "/api/webhooks", token === undefined ? {} : { token });
      expect(answer.status, String(token)).toBe(401);
      expect(answer.json).toMatchObject({ errors: [{ code: "INVALID_TOKEN", status: "401" }] });
    }
    expect((await raw(standIn, "GET", "/api/webhooks", { token: await integrationToken(standIn) })).status).toBe(200);
  });

  it("refuses every token issued so far after revokeTokens()", async () => {
    const token = await integrationToken(standIn);
    standIn.revokeTokens();
    expect((await raw(standIn, "GET", "/api/webhooks", { token })).status).toBe(401);
  });

  it("lets the SDK renew an expired token through its refreshToken hook", async () => {
    standIn.setTokenLifetime(0);
    const expired = await integrationToken(standIn);
    standIn.setTokenLifetime(14_400);
    standIn.clearRequests();
    const sdk = CommerceLayer({
      accessToken: expired,
      fetch: fetchVia(standIn.apiEndpoint),
      refreshToken: () => integrationToken(standIn),
    });
    await expect(sdk.webhooks.list()).resolves.toHaveLength(0);
    expect(standIn.requests({ path: "/api/webhooks" }).map((request) => request.status)).toEqual([401, 200]);
    expect(standIn.tokenRequests()).toHaveLength(1);
  });
});
