// The external resources (the five types whose URLs Commerce Layer calls): seeded by the test, read, listed and
// updated through the SDK, and called by the stand-in as Commerce Layer calls them, signed with their own secret and
// counted on their circuit.
import { createHmac } from "node:crypto";
import type { ExternalGatewayUpdate } from "@commercelayer/sdk";
import { beforeEach, describe, expect, it } from "vitest";
import type { CommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import { apiErrorOf, type Client, type Receiver, useStandInWithReceiver } from "./clients.ts";

let standIn: CommerceLayerStandIn;
let sdk: Client;
let receiver: Receiver;

useStandInWithReceiver({ topics: ["orders.place"] }, (started) => {
  ({ standIn, sdk, receiver } = started);
});
beforeEach(() => {
  standIn.reset();
  receiver.received.length = 0;
  receiver.answerWith(200);
  standIn.seed("external_gateways", {
    id: "gwPayments",
    attributes: {
      name: "Payments",
      authorize_url: `${receiver.url}/authorize`,
      capture_url: `${receiver.url}/capture`,
    },
  });
  standIn.seed("external_gateways", { id: "gwSpare001", attributes: { name: "Spare" } });
  standIn.seed("external_tax_calculators", {
    id: "taxCalc001",
    attributes: { name: "Taxes", tax_calculator_url: `${receiver.url}/taxes` },
  });
  standIn.seed("markets", {
    id: "mktEurope1",
    attributes: { name: "Europe", code: "eu", external_prices_url: `${receiver.url}/prices` },
  });
  standIn.seed("shipping_methods", {
    id: "shipExtern",
    attributes: { name: "Courier", scheme: "external", external_prices_url: `${receiver.url}/shipping` },
  });
  standIn.seed("external_promotions", {
    id: "promoBday1",
    attributes: { name: "Birthday", promotion_url: `${receiver.url}/promotion` },
  });
});

const document = {
  data: { id: "ordExternal", type: "orders", attributes: { total_amount_float: 25.0 } },
  included: [],
};

describe("through the API", () => {
  it("reads them with their server-set secret and circuit (markets have no circuit)", async () => {
    const gateway = await sdk.external_gateways.retrieve("gwPayments");
    expect(gateway).toMatchObject({
      name: "Payments",
      authorize_url: `${receiver.url}/authorize`,
      void_url: null,
      circuit_state: "closed",
      circuit_failure_count: 0,
      disabled_at: null,
    });
    expect(Buffer.from(gateway.shared_secret, "base64")).toHaveLength(32);
    const secrets = [
      gateway.shared_secret,
      (await sdk.external_tax_calculators.retrieve("taxCalc001")).shared_secret,
      (await sdk.shipping_methods.retrieve("shipExtern")).shared_secret,
      (await sdk.external_promotions.retrieve("promoBday1")).shared_secret,
    ];
    expect(new Set(secrets).size).toBe(4);
    const market = await sdk.markets.retrieve("mktEurope1");
    expect(market).toMatchObject({ name: "Europe", code: "eu", external_prices_url: `${receiver.url}/prices` });
    expect(market).not.toHaveProperty("circuit_state");
  });

  it("lists them with filters", async () => {
    const byName = await sdk.external_gateways.list({ filters: { name_eq: "Spare" } });
    expect(Array.from(byName, (gateway) => gateway.id)).toEqual(["gwSpare001"]);
    const byIds = await sdk.external_gateways.list({ filters: { id_in: ["gwPayments", "gwSpare001", "nope"] } });
    expect(byIds.meta.recordCount).toBe(2);
    const external = await sdk.shipping_methods.list({ filters: { scheme_eq: "external", disabled_at_null: true } });
    expect(Array.from(external, (method) => method.id)).toEqual(["shipExtern"]);
    // The API's field metadata: their URLs and secret are not filterable.
    expect(
      await apiErrorOf(sdk.shipping_methods.list({ filters: { external_prices_url_present: true } })),
    ).toMatchObject({
      status: 400,
      errors: [{ code: "FILTER_NOT_ALLOWED" }],
    });
  });

  it("updates their URLs (validated) and nothing server-set", async () => {
    const updated = await sdk.external_gateways.update({ id: "gwPayments", void_url: `${receiver.url}/void` });
    expect(updated.void_url).toBe(`${receiver.url}/void`);
    expect(
      await apiErrorOf(sdk.external_tax_calculators.update({ id: "taxCalc001", tax_calculator_url: "nowhere" })),
    ).toMatchObject({
      status: 422,
      errors: [{ source: { pointer: "/data/attributes/tax_calculator_url" } }],
    });
    expect(
      await apiErrorOf(
        sdk.external_gateways.update({ id: "gwPayments", shared_secret: "mine" } as ExternalGatewayUpdate),
      ),
    ).toMatchObject({ status: 400, errors: [{ code: "PARAM_NOT_ALLOWED" }] });
  });

  it("are not created nor deleted through the API (405)", async () => {
    expect(await apiErrorOf(sdk.external_gateways.create({ name: "New" }))).toMatchObject({ status: 405 });
    expect(await apiErrorOf(sdk.markets.delete("mktEurope1"))).toMatchObject({ status: 405 });
  });

  it("take the triggers of their type only", async () => {
    expect((await sdk.external_promotions._disable("promoBday1")).disabled_at).not.toBeNull();
    const before = (await sdk.markets.retrieve("mktEurope1")).shared_secret;
    const regenerated = await sdk.markets.update({ id: "mktEurope1", _regenerate_shared_secret: true } as never);
    expect(regenerated.shared_secret).not.toBe(before);
    expect(standIn.resource("markets", "mktEurope1")?.attributes.shared_secret).toBe(regenerated.shared_secret);
    expect(await apiErrorOf(sdk.markets.update({ id: "mktEurope1", _reset_circuit: true } as never))).toMatchObject({
      status: 400,
      errors: [{ code: "PARAM_NOT_ALLOWED", detail: "_reset_circuit is not allowed." }],
    });
  });
});

describe("callExternal", () => {
  it("POSTs the document signed with the resource's secret and returns the answer", async () => {
    const secret = (await sdk.external_tax_calculators.retrieve("taxCalc001")).shared_secret;
    const result = await standIn.callExternal("external_tax_calculators", "taxCalc001", "tax_calculator_url", document);
    expect(result).toMatchObject({ called: true, ok: true, status: 200, response: { ok: true } });
    const [call] = receiver.received;
    expect(call?.path).toBe("/taxes");
    expect(call?.body.toString()).toBe(JSON.stringify(document));
    expect(call?.headers["x-commercelayer-signature"]).toBe(
      createHmac("sha256", secret)
        .update(call?.body as Buffer)
        .digest("base64"),
    );
    expect(call?.headers).not.toHaveProperty("x-commercelayer-topic");
  });

  it("sends a string document as its exact bytes, signed with the new secret after _regenerate_shared_secret", async () => {
    const regenerated = await sdk.external_gateways.update({
      id: "gwPayments",
      _regenerate_shared_secret: true,
    } as never);
    const bytes = '{"data":{"id":"pay1","type":"external_payments","attributes":{"amount_float":25.0}}}';
    await standIn.callExternal("external_gateways", "gwPayments", "authorize_url", bytes);
    const [call] = receiver.received;
    expect(call?.body.toString()).toBe(bytes);
    expect(call?.headers["x-commercelayer-signature"]).toBe(
      createHmac("sha256", regenerated.shared_secret).update(bytes).digest("base64"),
    );
  });

  it("counts failures on the resource's circuit, stops calling at 30, and _reset_circuit resumes", async () => {
    receiver.answerWith(500);
    for (let i = 0; i < 30; i++) {
      expect(await standIn.callExternal("external_promotions", "promoBday1", "promotion_url", document)).toMatchObject({
        called: true,
        ok: false,
        status: 500,
      });
    }
    expect(await sdk.external_promotions.retrieve("promoBday1")).toMatchObject({
      circuit_state: "open",
      circuit_failure_count: 30,
    });
    expect(await standIn.callExternal("external_promotions", "promoBday1", "promotion_url", document)).toMatchObject({
      called: false,
    });
    expect(receiver.received).toHaveLength(30);
    await sdk.external_promotions._reset_circuit("promoBday1");
    receiver.answerWith(200);
    expect(await standIn.callExternal("external_promotions", "promoBday1", "promotion_url", document)).toMatchObject({
      called: true,
      ok: true,
    });
  });

  it("calls a market's URL with no circuit to count, and refuses a URL the resource does not have", async () => {
    receiver.answerWith(500);
    expect(await standIn.callExternal("markets", "mktEurope1", "external_prices_url", document)).toMatchObject({
      called: true,
      ok: false,
      status: 500,
    });
    expect(standIn.resource("markets", "mktEurope1")?.attributes).not.toHaveProperty("circuit_failure_count");
    await expect(
      standIn.callExternal("markets", "mktEurope1", "external_order_validation_url", document),
    ).rejects.toThrow("has no external_order_validation_url");
    await expect(standIn.callExternal("markets", "mktEurope1", "promotion_url", document)).rejects.toThrow();
    await expect(standIn.callExternal("external_gateways", "nowhere", "authorize_url", document)).rejects.toThrow(
      "seed it first",
    );
  });
});
