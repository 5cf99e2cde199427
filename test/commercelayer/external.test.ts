// The external resources through `npm run commercelayer`, against the stand-in: plan shows per attached resource the
// URL fields enable would set (a URL pointing elsewhere included), and stops on attachments that do not hold; apply
// writes each resource's secret under its kind's variable and nothing to Commerce Layer; enable sets only the URL
// fields of the attached kinds, only once the secret is here; status shows their circuits and reset closes them; the
// webhooks go through the same run. Each suite's handlers file is a fixture with its attachments file beside it.
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { beforeEach, describe, expect, it } from "vitest";
import { CIRCUIT_BREAKER_FAILURES } from "../../shared/core/commerce-layer.ts";
import { TOPIC_SECRETS_ENV } from "../../shared/core/topic-secrets.ts";
import type { CommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import {
  expectOneLine,
  fixture,
  inWorkspace,
  runCommand,
  spawnCommand,
  URL_A,
  useStandIn,
  type Workspace,
  workspace,
} from "./command.ts";

const EXT_A = "https://receiver.example/api/external";
const EXT_B = "https://elsewhere.example/external";
const TAX_AND_PAYMENT = fixture("external-tax-and-payment.ts");
const ALL = fixture("external-all.ts");
const UNATTACHED = fixture("external-unattached.ts");

let standIn: CommerceLayerStandIn;

useStandIn((started) => {
  standIn = started;
});

/** The resources of a merchant: some with URLs of their own already, some the attachments never name. */
beforeEach(() => {
  standIn.reset();
  standIn.seed("external_gateways", {
    id: "gwPayments",
    attributes: {
      name: "Payments",
      authorize_url: "https://old.example/authorize",
      void_url: "https://psp.example/void",
    },
  });
  standIn.seed("external_gateways", { id: "gwSpare001", attributes: { name: "Spare" } });
  standIn.seed("external_tax_calculators", { id: "taxCalc001", attributes: { name: "Taxes" } });
  standIn.seed("external_tax_calculators", { id: "taxOther01", attributes: { name: "Other taxes" } });
  standIn.seed("markets", { id: "mktEurope1", attributes: { name: "Europe", code: "eu" } });
  standIn.seed("markets", { id: "mktUsa0001", attributes: { name: "USA", code: "us" } });
  standIn.seed("shipping_methods", { id: "shipCourie", attributes: { name: "Courier", scheme: "flat" } });
  standIn.seed("external_promotions", { id: "promoBday1", attributes: { name: "Birthday" } });
});

const attribute = (type: string, id: string, name: string) => standIn.resource(type, id)?.attributes[name];
const secretOf = (type: string, id: string) => String(attribute(type, id, "shared_secret"));
const envOf = (space: Workspace) => parseEnv(readFileSync(space.envFile, "utf8"));
const run = (space: Workspace, ...args: string[]) => runCommand(standIn, inWorkspace(space, ...args));

describe("plan", () => {
  it("shows per attached resource the URL fields enable would set, a URL pointing elsewhere too; it changes nothing", async () => {
    const space = workspace(standIn);
    const plan = await spawnCommand(
      standIn,
      inWorkspace(space, "plan", "--external-handlers", TAX_AND_PAYMENT, "--external-url", EXT_A),
    );
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("Webhooks: not planned (no --url).");
    expect(plan.stdout).toContain(
      [
        `  ~ update external_gateways gwPayments "Payments" (payment-gateway/authorize, payment-gateway/capture, payment-gateway/refund)`,
        `      authorize_url: https://old.example/authorize -> ${EXT_A}/payment-gateway/authorize`,
        `      capture_url: (none) -> ${EXT_A}/payment-gateway/capture`,
        `      refund_url: (none) -> ${EXT_A}/payment-gateway/refund`,
        `  ~ update external_tax_calculators taxCalc001 "Taxes" (tax-calculator)`,
        `      tax_calculator_url: (none) -> ${EXT_A}/tax-calculator`,
      ].join("\n"),
    );
    // Kinds the file does not implement: their fields are not the command's.
    expect(plan.stdout).not.toMatch(/void_url|token_url/);
    expect(plan.stdout).toContain(`COMMERCELAYER_TAX_CALCULATOR_SECRET: 1 secret, apply writes it to ${space.envFile}`);
    expect(plan.stdout).toContain("External: 2 secret variables for apply to write, 2 resources for enable to update");
    expect(standIn.writeRequests()).toEqual([]);

    const json = JSON.parse((await run(space, "plan", "--json", "--external-handlers", TAX_AND_PAYMENT)).stdout);
    expect(json.external.url).toBeUndefined();
    expect(json.external.implemented).toEqual([
      "payment-gateway/authorize",
      "payment-gateway/capture",
      "payment-gateway/refund",
      "tax-calculator",
    ]);
    expect(json.external.resources[1]).toEqual({
      type: "external_tax_calculators",
      id: "taxCalc001",
      name: "Taxes",
      kinds: ["tax-calculator"],
      urls: { tax_calculator_url: null },
      changes: null,
    });
    const withUrl = JSON.parse(
      (await run(space, "plan", "--json", "--external-handlers", TAX_AND_PAYMENT, "--external-url", `${EXT_B}/`))
        .stdout,
    );
    expect(withUrl.external.resources[1].changes).toEqual([
      { field: "tax_calculator_url", from: null, to: `${EXT_B}/tax-calculator` },
    ]);
    expect(withUrl.external.secrets).toEqual([
      { variable: "COMMERCELAYER_PAYMENT_GATEWAY_SECRET", secrets: 1, state: "to write" },
      { variable: "COMMERCELAYER_TAX_CALCULATOR_SECRET", secrets: 1, state: "to write" },
    ]);
  });

  it("notes what the command sees but never changes: a shipping method's scheme, a disabled resource, an open circuit", async () => {
    const space = workspace(standIn);
    standIn.seed("external_promotions", { id: "promoBday1", attributes: { disabled_at: new Date().toISOString() } });
    standIn.seed("external_tax_calculators", { id: "taxCalc001", attributes: { circuit_state: "open" } });
    const plan = await run(space, "plan", "--external-handlers", ALL, "--external-url", EXT_A);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(
      `note: shipping_methods shipCourie "Courier": scheme is flat: Commerce Layer calls external_prices_url only when it is external`,
    );
    expect(plan.stdout).toContain(`note: external_promotions promoBday1 "Birthday" is disabled in Commerce Layer`);
    expect(plan.stdout).toContain(`note: external_tax_calculators taxCalc001 "Taxes": its circuit is open`);
    expect(plan.stdout).toContain(
      [
        `  ~ update markets mktEurope1 "Europe" (prices, order-validation)`,
        `      external_prices_url: (none) -> ${EXT_A}/prices`,
        `      external_order_validation_url: (none) -> ${EXT_A}/order-validation`,
        `  ~ update markets mktUsa0001 "USA" (prices)`,
      ].join("\n"),
    );
    expect(plan.stdout).toContain("COMMERCELAYER_MARKET_SECRET: 2 secrets");
  });

  it("stops on attachments that do not hold, one line, exit 2: before any token when the files say so", async () => {
    const space = workspace(standIn);
    const unattached = await spawnCommand(standIn, inWorkspace(space, "plan", "--external-handlers", UNATTACHED));
    expect(unattached.code).toBe(2);
    expectOneLine(
      unattached,
      /^commercelayer: tax-calculator, prices are implemented in test\/commercelayer\/fixtures\/external-unattached\.ts but attached to no Commerce Layer resource \(external_tax_calculators, markets\): name them in test\/commercelayer\/fixtures\/external-unattached-attachments\.ts, or give --attach <kind>=<id>$/,
    );
    const notImplemented = await run(
      space,
      ...["plan", "--external-handlers", UNATTACHED, "--attach", "tax-calculator=taxCalc001"],
      ...["--attach", "prices=mktEurope1", "--attach", "promotion=promoBday1"],
    );
    expect(notImplemented.code).toBe(2);
    expectOneLine(
      notImplemented,
      "promotion is attached in --attach, but test/commercelayer/fixtures/external-unattached.ts does not implement it",
    );
    expect(standIn.tokenRequests()).toEqual([]);

    // What only Commerce Layer can tell: a resource that does not exist, a name two resources share.
    standIn.seed("markets", { id: "mktEurope2", attributes: { name: "Europe", code: "eu2" } });
    const missing = await run(space, ...["plan", "--external-handlers", ALL, "--attach", "tax-calculator=nope000001"]);
    expect(missing.code).toBe(2);
    expectOneLine(
      missing,
      /^commercelayer: tax-calculator \(nope000001\): no external_tax_calculators nope000001 in Commerce Layer; prices \(named "Europe"\): 2 markets are named "Europe" \(mktEurope1, mktEurope2\): attach it by id; order-validation \(named "Europe"\): 2 markets are named "Europe"/,
    );
    expect(standIn.writeRequests()).toEqual([]);
  });

  it.each([
    [["--attach", "tax-calculator"], "--attach tax-calculator: give <kind>=<resource id>"],
    [["--attach", "taxes=taxCalc001"], "--attach taxes=taxCalc001: taxes is no kind"],
    [
      ["--external-url", `${EXT_A}/tax-calculator`],
      `--external-url ${EXT_A}/tax-calculator: give it without the kind (tax-calculator)`,
    ],
    [
      ["--external-url", "receiver.example/api/external"],
      "--external-url receiver.example/api/external: give the prefix of the kinds' URLs",
    ],
  ])("%j: a usage error, exit 2", async (args, first) => {
    const ran = await runCommand(standIn, ["plan", "--external-handlers", TAX_AND_PAYMENT, ...args]);
    expect(ran.code).toBe(2);
    expect(ran.stderr.split("\n")[0]).toContain(`commercelayer: ${first}`);
    expect(ran.stderr).toContain("Usage:");
  });

  it("--attach replaces the file's resources of that kind; payment-gateway stands for every implemented action", async () => {
    const space = workspace(standIn);
    const plan = await run(
      space,
      ...["plan", "--external-handlers", TAX_AND_PAYMENT, "--external-url", EXT_A],
      ...["--attach", "tax-calculator=taxOther01", "--attach", "payment-gateway=gwSpare001"],
    );
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`~ update external_tax_calculators taxOther01 "Other taxes" (tax-calculator)`);
    expect(plan.stdout).toContain(
      `~ update external_gateways gwSpare001 "Spare" (payment-gateway/authorize, payment-gateway/capture, payment-gateway/refund)`,
    );
    expect(plan.stdout).not.toMatch(/taxCalc001|gwPayments/);
  });
});

describe("apply", () => {
  it("writes each attached resource's secret under its kind's variable and only those lines; a second apply changes nothing", async () => {
    const space = workspace(standIn);
    const before = readFileSync(space.envFile, "utf8");
    const applied = await spawnCommand(standIn, inWorkspace(space, "apply", "--external-handlers", ALL));
    expect(applied.code, applied.stderr).toBe(0);
    const env = envOf(space);
    expect(env).toMatchObject({
      COMMERCELAYER_PAYMENT_GATEWAY_SECRET: secretOf("external_gateways", "gwPayments"),
      COMMERCELAYER_TAX_CALCULATOR_SECRET: secretOf("external_tax_calculators", "taxCalc001"),
      // Both markets, in the order they were named: the receiver accepts any of the list.
      COMMERCELAYER_MARKET_SECRET: `${secretOf("markets", "mktEurope1")},${secretOf("markets", "mktUsa0001")}`,
      COMMERCELAYER_SHIPPING_METHOD_SECRET: secretOf("shipping_methods", "shipCourie"),
      COMMERCELAYER_PROMOTION_SECRET: secretOf("external_promotions", "promoBday1"),
    });
    const after = readFileSync(space.envFile, "utf8");
    expect(
      after.replace(
        /^COMMERCELAYER_(PAYMENT_GATEWAY|TAX_CALCULATOR|MARKET|SHIPPING_METHOD|PROMOTION)_SECRET=.*\n/gm,
        "",
      ),
    ).toBe(before);
    // apply never writes to Commerce Layer for the external resources: the URLs wait for enable.
    expect(standIn.writeRequests()).toEqual([]);
    expect(attribute("external_tax_calculators", "taxCalc001", "tax_calculator_url")).toBeNull();
    expect(applied.stdout).toContain(
      `COMMERCELAYER_MARKET_SECRET written to ${space.envFile} (2 secrets: markets mktEurope1 "Europe", markets mktUsa0001 "USA"; only that line changed).`,
    );
    expect(applied.stdout).toContain("then `npm run commercelayer -- enable --external-url <prefix>`");

    const again = await run(space, "apply", "--external-handlers", ALL, "--external-url", EXT_A);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(space.envFile, "utf8")).toBe(after);
    expect(again.stdout).toContain(`COMMERCELAYER_MARKET_SECRET in ${space.envFile} is up to date (2 secrets).`);
    expect(again.stdout).toContain(`enable --external-url ${EXT_A}\` (6 resources to point at it)`);
    expect(standIn.writeRequests()).toEqual([]);
  });
});

describe("enable", () => {
  it("sets only the URL fields of the attached kinds, once the secrets are here; a second run writes nothing", async () => {
    const space = workspace(standIn);
    const untouched = [
      standIn.resource("external_gateways", "gwSpare001"),
      standIn.resource("external_tax_calculators", "taxOther01"),
    ];
    const before = standIn.resource("external_gateways", "gwPayments");

    // Before apply, no secret is here: every resource is left as it is.
    const early = await run(space, "enable", "--external-handlers", ALL, "--external-url", EXT_A);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(
      `commercelayer: external_tax_calculators taxCalc001 "Taxes" not pointed at ${EXT_A}: its secret is not in COMMERCELAYER_TAX_CALCULATOR_SECRET (${space.envFile}): run apply, deploy, then enable`,
    );
    expect(standIn.writeRequests()).toEqual([]);

    await run(space, "apply", "--external-handlers", ALL);
    const enabled = await spawnCommand(
      standIn,
      inWorkspace(space, "enable", "--external-handlers", ALL, "--external-url", EXT_A),
    );
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(enabled.stdout).toContain("External resources: 6 updated, 0 pointed at");
    expect(standIn.writeRequests().map(({ method, path }) => `${method} ${path}`)).toEqual([
      "PATCH /api/external_gateways/gwPayments",
      "PATCH /api/external_tax_calculators/taxCalc001",
      "PATCH /api/markets/mktEurope1",
      "PATCH /api/markets/mktUsa0001",
      "PATCH /api/shipping_methods/shipCourie",
      "PATCH /api/external_promotions/promoBday1",
    ]);
    // The gateway: authorize_url only (the only payment kind implemented); its other fields as they were.
    const gateway = standIn.resource("external_gateways", "gwPayments");
    expect(gateway?.attributes).toEqual({
      ...before?.attributes,
      authorize_url: `${EXT_A}/payment-gateway/authorize`,
      updated_at: gateway?.attributes.updated_at,
    });
    expect(attribute("markets", "mktEurope1", "external_prices_url")).toBe(`${EXT_A}/prices`);
    expect(attribute("markets", "mktEurope1", "external_order_validation_url")).toBe(`${EXT_A}/order-validation`);
    expect(attribute("markets", "mktUsa0001", "external_prices_url")).toBe(`${EXT_A}/prices`);
    expect(attribute("markets", "mktUsa0001", "external_order_validation_url")).toBeNull();
    expect(attribute("shipping_methods", "shipCourie", "external_prices_url")).toBe(`${EXT_A}/shipping-costs`);
    // The scheme is the merchant's switch: never changed.
    expect(attribute("shipping_methods", "shipCourie", "scheme")).toBe("flat");
    expect(attribute("external_promotions", "promoBday1", "promotion_url")).toBe(`${EXT_A}/promotion`);
    expect([
      standIn.resource("external_gateways", "gwSpare001"),
      standIn.resource("external_tax_calculators", "taxOther01"),
    ]).toEqual(untouched);

    standIn.clearRequests();
    const again = await run(space, "enable", "--external-handlers", ALL, "--external-url", EXT_A);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`All 6 attached external resources point at ${EXT_A} already.`);
    expect(standIn.writeRequests()).toEqual([]);
  });

  it("reads the secret from this shell's environment first, as the deploy does", async () => {
    const space = workspace(standIn);
    await run(space, "apply", "--external-handlers", TAX_AND_PAYMENT);
    const ran = await spawnCommand(
      standIn,
      inWorkspace(space, "enable", "--external-handlers", TAX_AND_PAYMENT, "--external-url", EXT_A),
      { COMMERCELAYER_TAX_CALCULATOR_SECRET: "an-old-secret" },
    );
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain("its secret is not in COMMERCELAYER_TAX_CALCULATOR_SECRET (this shell's environment)");
    expect(attribute("external_tax_calculators", "taxCalc001", "tax_calculator_url")).toBeNull();
    expect(attribute("external_gateways", "gwPayments", "capture_url")).toBe(`${EXT_A}/payment-gateway/capture`);
  });

  it("without --external-url: a usage error when no webhook is managed either", async () => {
    const space = workspace(standIn);
    await run(space, "apply", "--external-handlers", TAX_AND_PAYMENT);
    const ran = await run(space, "enable", "--external-handlers", TAX_AND_PAYMENT);
    expect(ran.code).toBe(2);
    expect(ran.stderr.split("\n")[0]).toBe(
      "commercelayer: enable needs --external-url: where the external kinds are deployed (https://<host>/api/external), to point the attached resources at it",
    );
    expect(standIn.writeRequests()).toEqual([]);
  });
});

describe("status and reset", () => {
  async function enabled(space: Workspace, handlers = TAX_AND_PAYMENT): Promise<void> {
    await run(space, "apply", "--external-handlers", handlers);
    const ran = await run(space, "enable", "--external-handlers", handlers, "--external-url", EXT_A);
    expect(ran.code, ran.stderr).toBe(0);
    standIn.clearRequests();
  }

  it("shows each attached resource's URLs, circuit and failures; exit 0 when healthy, the same as JSON", async () => {
    const space = workspace(standIn);
    await enabled(space);
    const ran = await spawnCommand(
      standIn,
      inWorkspace(space, "status", "--external-handlers", TAX_AND_PAYMENT, "--external-url", EXT_A),
    );
    expect(ran.code, ran.stdout).toBe(0);
    expect(ran.stdout).toContain(
      [
        `external_tax_calculators taxCalc001 "Taxes" (tax-calculator)`,
        `    circuit closed (0 failures), tax_calculator_url: ${EXT_A}/tax-calculator`,
      ].join("\n"),
    );
    expect(ran.stdout).toContain("All 2 attached external resources are healthy.");
    expect(ran.stderr).toBe("");

    const json = JSON.parse((await run(space, "status", "--json", "--external-handlers", TAX_AND_PAYMENT)).stdout);
    expect(json).toMatchObject({ healthy: true, webhooks: [] });
    expect(json.external[0]).toEqual({
      type: "external_gateways",
      id: "gwPayments",
      name: "Payments",
      kinds: ["payment-gateway/authorize", "payment-gateway/capture", "payment-gateway/refund"],
      urls: {
        authorize_url: `${EXT_A}/payment-gateway/authorize`,
        capture_url: `${EXT_A}/payment-gateway/capture`,
        refund_url: `${EXT_A}/payment-gateway/refund`,
      },
      circuit_state: "closed",
      circuit_failure_count: 0,
      disabled: false,
      problems: [],
    });
  });

  it("exits 1 on a URL not set or not --external-url's, and on a scheme that makes Commerce Layer ignore the URL; markets have no circuit", async () => {
    const space = workspace(standIn);
    await run(space, "apply", "--external-handlers", ALL);
    const notYet = await run(space, "status", "--external-handlers", ALL);
    expect(notYet.code).toBe(1);
    expect(notYet.stdout).toContain("problem: tax_calculator_url is not set: run enable");

    await run(space, "enable", "--external-handlers", ALL, "--external-url", EXT_A);
    const elsewhere = await run(space, "status", "--external-handlers", ALL, "--external-url", EXT_B);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toContain(
      `problem: tax_calculator_url is not ${EXT_B}/tax-calculator: run plan, then enable`,
    );
    const json = JSON.parse(
      (await run(space, "status", "--json", "--external-handlers", ALL, "--external-url", EXT_A)).stdout,
    );
    expect(json.healthy).toBe(false);
    const problems = json.external.filter(({ problems }: { problems: string[] }) => problems.length > 0);
    expect(problems.map(({ id }: { id: string }) => id)).toEqual(["shipCourie"]);
    expect(json.external.find(({ id }: { id: string }) => id === "mktEurope1")).toMatchObject({
      circuit_state: null,
      circuit_failure_count: null,
    });
    const text = await run(space, "status", "--external-handlers", ALL, "--external-url", EXT_A);
    expect(text.stdout).toContain(
      `markets mktEurope1 "Europe" (prices, order-validation)\n    no circuit (markets have none)`,
    );
  });

  it("exits 1 on an open circuit; reset closes it, and only the open ones", async () => {
    const space = workspace(standIn);
    await enabled(space);
    standIn.seed("external_tax_calculators", {
      id: "taxCalc001",
      attributes: { circuit_state: "open", circuit_failure_count: CIRCUIT_BREAKER_FAILURES },
    });
    standIn.seed("external_gateways", { id: "gwPayments", attributes: { circuit_failure_count: 3 } });
    const open = await spawnCommand(standIn, inWorkspace(space, "status", "--external-handlers", TAX_AND_PAYMENT));
    expect(open.code).toBe(1);
    expect(open.stdout).toContain(
      `external_tax_calculators taxCalc001 "Taxes" (tax-calculator)\n    circuit open (30 failures), tax_calculator_url`,
    );
    expect(open.stdout).toContain("problem: circuit open: fix the handler, then run reset");
    expect(open.stdout).toContain("circuit closed (3 failures)");

    const reset = await spawnCommand(standIn, inWorkspace(space, "reset", "--external-handlers", TAX_AND_PAYMENT));
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain(
      `reset external_tax_calculators taxCalc001 "Taxes" (tax-calculator; had 30 failures)`,
    );
    expect(reset.stdout).toContain("1 circuit closed.");
    expect(standIn.writeRequests().map(({ method, path }) => `${method} ${path}`)).toEqual([
      "PATCH /api/external_tax_calculators/taxCalc001",
    ]);
    expect(attribute("external_tax_calculators", "taxCalc001", "circuit_state")).toBe("closed");
    expect(attribute("external_gateways", "gwPayments", "circuit_failure_count")).toBe(3);
    const closed = await run(space, "status", "--external-handlers", TAX_AND_PAYMENT);
    expect(closed.code, closed.stdout).toBe(0);
  });
});

describe("webhooks and external resources in one run", () => {
  it("plan, apply and enable carry both; a second apply and enable write nothing", async () => {
    const space = workspace(standIn);
    const both = ["--url", URL_A, "--handlers", fixture("handlers.ts"), "--external-handlers", TAX_AND_PAYMENT];
    const plan = await run(space, "plan", ...both, "--external-url", EXT_A);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("Plan: 4 to create, 0 to update, 0 to delete.");
    expect(plan.stdout).toContain(`~ update external_tax_calculators taxCalc001 "Taxes" (tax-calculator)`);

    const applied = await run(space, "apply", ...both);
    expect(applied.code, applied.stderr).toBe(0);
    expect(Object.keys(envOf(space))).toEqual(
      expect.arrayContaining([
        TOPIC_SECRETS_ENV,
        "COMMERCELAYER_TAX_CALCULATOR_SECRET",
        "COMMERCELAYER_PAYMENT_GATEWAY_SECRET",
      ]),
    );

    // What a deploy script runs: the webhooks are switched on, the resources wait for --external-url.
    const webhooksOnly = await run(space, "enable", "--external-handlers", TAX_AND_PAYMENT);
    expect(webhooksOnly.code, webhooksOnly.stderr).toBe(0);
    expect(webhooksOnly.stdout).toContain("4 enabled, 0 were already.");
    expect(webhooksOnly.stderr).toContain("`enable --external-url <prefix>` points them at the deployment");
    expect(attribute("external_tax_calculators", "taxCalc001", "tax_calculator_url")).toBeNull();

    const enabled = await run(space, "enable", "--external-handlers", TAX_AND_PAYMENT, "--external-url", EXT_A);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(enabled.stdout).toContain("All 4 managed webhooks were enabled already.");
    expect(enabled.stdout).toContain("External resources: 2 updated");

    standIn.clearRequests();
    const envFile = readFileSync(space.envFile, "utf8");
    expect((await run(space, "apply", ...both)).code).toBe(0);
    expect((await run(space, "enable", "--external-handlers", TAX_AND_PAYMENT, "--external-url", EXT_A)).code).toBe(0);
    expect(standIn.writeRequests()).toEqual([]);
    expect(readFileSync(space.envFile, "utf8")).toBe(envFile);

    const status = await run(
      space,
      "status",
      "--url",
      URL_A,
      "--external-url",
      EXT_A,
      "--external-handlers",
      TAX_AND_PAYMENT,
    );
    expect(status.code, status.stdout).toBe(0);
    expect(status.stdout).toContain("All 4 managed webhooks are healthy.");
    expect(status.stdout).toContain("All 2 attached external resources are healthy.");
  });
});
