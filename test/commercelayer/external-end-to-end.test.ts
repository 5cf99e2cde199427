// External resources as code, end to end, as a user with both webhooks and external kinds runs it: the stand-in of
// Commerce Layer's API, `npm start` serving a tax calculator and a payment gateway (a fixture of the suite's own, with
// its attachments beside it), and `npm run commercelayer` between them. apply reads the two resources' secrets into the
// env file npm start reads; enable points their URLs at it; the stand-in's calls, signed with each resource's secret
// as Commerce Layer signs them, are answered with the kinds' documents, and a call signed with another resource's
// secret is refused; a failing tax calculator opens its circuit, which status reports and reset closes.
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CIRCUIT_BREAKER_FAILURES, SIGNATURE_HEADER } from "../../shared/core/commerce-layer.ts";
import { ROOT } from "../support/bundles.ts";
import { signBody } from "../support/commercelayer-api/outgoing.ts";
import { type CommerceLayerStandIn, startCommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import { startProcess } from "../support/http.ts";
import { freePort, freshEnv } from "../support/local-commands.ts";
import { inWorkspace, removeWorkspaces, spawnCommand, type Workspace, workspace } from "./command.ts";

const HANDLERS = "test/commercelayer/fixtures/end-to-end-handlers.ts";
const EXTERNAL = "test/commercelayer/fixtures/external-tax-and-payment.ts";

let standIn: CommerceLayerStandIn;
let space: Workspace;
let receiver: Awaited<ReturnType<typeof startProcess>> | undefined;
let port: number;
/** The webhook receiver's URL and the external kinds' prefix, both npm start's Vercel paths. */
let url: string;
let externalUrl: string;

const command = (...args: string[]) =>
  spawnCommand(standIn, inWorkspace(space, ...args, "--external-handlers", EXTERNAL));

/** An order as Commerce Layer sends it to a tax calculator: one line item of 100.00, included. */
const ORDER = {
  data: {
    id: "ordE2e0001",
    type: "orders",
    attributes: { number: "1001", total_amount_cents: 10000 },
    relationships: { line_items: { data: [{ type: "line_items", id: "liE2e00001" }] } },
  },
  included: [{ id: "liE2e00001", type: "line_items", attributes: { total_amount_cents: 10000 } }],
};

/** An external payment to authorize, its order included. */
const PAYMENT = {
  data: {
    id: "epE2e00001",
    type: "external_payments",
    attributes: { payment_source_token: "tok_visa" },
    relationships: { order: { data: { type: "orders", id: "ordE2e0001" } } },
  },
  included: [{ id: "ordE2e0001", type: "orders", attributes: { total_amount_with_taxes_cents: 12200 } }],
};

const TAX_ANSWER = {
  success: true,
  data: { freight_taxable: true, line_items: [{ id: "liE2e00001", tax_rate: 0.22, tax_collectable: 22 }] },
};

const secretOf = (type: string, id: string) => String(standIn.resource(type, id)?.attributes.shared_secret);

beforeAll(async () => {
  standIn = await startCommerceLayerStandIn();
  standIn.seed("external_tax_calculators", { id: "taxCalc001", attributes: { name: "Taxes" } });
  standIn.seed("external_gateways", { id: "gwPayments", attributes: { name: "Payments" } });
  space = workspace(standIn);
  port = await freePort();
  url = `http://127.0.0.1:${port}/vercel/api/webhooks/commercelayer`;
  externalUrl = `http://127.0.0.1:${port}/vercel/api/external`;
}, 30_000);

afterAll(async () => {
  await receiver?.stop();
  await standIn?.close();
  removeWorkspaces();
});

describe("a tax calculator and a payment gateway, attached, through npm run commercelayer and npm start", () => {
  it("plan shows the URL changes; apply writes both secrets and nothing to Commerce Layer; a second apply writes nothing", async () => {
    const both = ["--url", url, "--handlers", HANDLERS];
    const plan = await command("plan", ...both, "--external-url", externalUrl);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`tax_calculator_url: (none) -> ${externalUrl}/tax-calculator`);
    expect(plan.stdout).toContain(`authorize_url: (none) -> ${externalUrl}/payment-gateway/authorize`);

    const applied = await command("apply", ...both);
    expect(applied.code, applied.stderr).toBe(0);
    const env = parseEnv(readFileSync(space.envFile, "utf8"));
    expect(env.COMMERCELAYER_TAX_CALCULATOR_SECRET).toBe(secretOf("external_tax_calculators", "taxCalc001"));
    expect(env.COMMERCELAYER_PAYMENT_GATEWAY_SECRET).toBe(secretOf("external_gateways", "gwPayments"));
    expect(standIn.resource("external_tax_calculators", "taxCalc001")?.attributes.tax_calculator_url).toBeNull();

    const written = readFileSync(space.envFile, "utf8");
    standIn.clearRequests();
    const again = await command("apply", ...both);
    expect(again.code, again.stderr).toBe(0);
    expect(standIn.writeRequests()).toEqual([]);
    expect(readFileSync(space.envFile, "utf8")).toBe(written);
  });

  it("npm start reads the secrets from the env file; enable points both resources at it; a second enable writes nothing", async () => {
    receiver = await startProcess(
      "npm",
      [
        "start",
        "--",
        "--handlers",
        HANDLERS,
        "--external-handlers",
        EXTERNAL,
        "--env-file",
        space.envFile,
        "--no-watch",
      ],
      { cwd: ROOT, env: freshEnv({ PORT: String(port) }), ready: /Ctrl-C stops it/, timeoutMs: 60_000 },
    );
    expect(receiver.output()).toContain(`read ${space.envFile}`);
    // The real secrets, not the public development ones.
    expect(receiver.output()).not.toMatch(/!!\s+COMMERCELAYER_(TAX_CALCULATOR|PAYMENT_GATEWAY)_SECRET/);

    const enabled = await command("enable", "--external-url", externalUrl);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(standIn.resource("external_tax_calculators", "taxCalc001")?.attributes.tax_calculator_url).toBe(
      `${externalUrl}/tax-calculator`,
    );
    expect(standIn.resource("external_gateways", "gwPayments")?.attributes).toMatchObject({
      authorize_url: `${externalUrl}/payment-gateway/authorize`,
      capture_url: `${externalUrl}/payment-gateway/capture`,
      refund_url: `${externalUrl}/payment-gateway/refund`,
      void_url: null,
      token_url: null,
    });
    expect(standIn.webhooks().every((webhook) => webhook.disabled_at === null)).toBe(true);

    standIn.clearRequests();
    const again = await command("enable", "--external-url", externalUrl);
    expect(again.code, again.stderr).toBe(0);
    expect(standIn.writeRequests()).toEqual([]);
  }, 90_000);

  it("Commerce Layer's signed calls are answered with the kinds' documents", async () => {
    const tax = await standIn.callExternal("external_tax_calculators", "taxCalc001", "tax_calculator_url", ORDER);
    expect(tax).toMatchObject({ called: true, status: 200, response: TAX_ANSWER });

    const authorized = await standIn.callExternal("external_gateways", "gwPayments", "authorize_url", PAYMENT);
    expect(authorized).toMatchObject({
      called: true,
      status: 200,
      response: {
        success: true,
        data: { transaction_token: "auth_epE2e00001", amount_cents: 12200, metadata: { order: "ordE2e0001" } },
      },
    });
  });

  it("the same call signed with another resource's secret is refused", async () => {
    // Another tax calculator, attached to nothing, pointed at the same URL by hand: its secret is not deployed.
    standIn.seed("external_tax_calculators", {
      id: "taxOther01",
      attributes: { name: "Other taxes", tax_calculator_url: `${externalUrl}/tax-calculator` },
    });
    const other = await standIn.callExternal("external_tax_calculators", "taxOther01", "tax_calculator_url", ORDER);
    expect(other).toMatchObject({ called: true, status: 401, response: { error: { code: "invalid_signature" } } });

    // The gateway's secret is deployed, but under the gateway's variable: it never verifies a tax calculation.
    const body = JSON.stringify(ORDER);
    const crossed = await fetch(`${externalUrl}/tax-calculator`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [SIGNATURE_HEADER]: signBody(secretOf("external_gateways", "gwPayments"), Buffer.from(body)),
      },
      body,
    });
    expect(crossed.status).toBe(401);
    expect(await crossed.json()).toMatchObject({ success: false, error: { code: "invalid_signature" } });
  });

  it("a failing tax calculator opens its circuit: status exits 1 and says so; reset closes it and status exits 0", async () => {
    const refused = { ...ORDER, data: { ...ORDER.data, id: "refuseE2e1" } };
    for (let failure = 0; failure < CIRCUIT_BREAKER_FAILURES; failure++) {
      const call = await standIn.callExternal("external_tax_calculators", "taxCalc001", "tax_calculator_url", refused);
      expect(call.status).toBe(400);
    }
    expect(standIn.resource("external_tax_calculators", "taxCalc001")?.attributes.circuit_state).toBe("open");
    const skipped = await standIn.callExternal("external_tax_calculators", "taxCalc001", "tax_calculator_url", ORDER);
    expect(skipped.called).toBe(false);

    const open = await command("status", "--url", url, "--external-url", externalUrl);
    expect(open.code).toBe(1);
    expect(open.stdout).toContain(
      `external_tax_calculators taxCalc001 "Taxes" (tax-calculator)\n    circuit open (${CIRCUIT_BREAKER_FAILURES} failures)`,
    );
    expect(open.stdout).toContain("problem: circuit open: fix the handler, then run reset");

    const reset = await command("reset");
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain("1 circuit closed.");
    const closed = await command("status", "--url", url, "--external-url", externalUrl);
    expect(closed.code, closed.stdout).toBe(0);
    const tax = await standIn.callExternal("external_tax_calculators", "taxCalc001", "tax_calculator_url", ORDER);
    expect(tax).toMatchObject({ called: true, status: 200, response: TAX_ANSWER });
  });
});
