import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_EXTERNAL_SECRETS } from "../../infra/local/dev-secret.ts";
import { buildExternalSample } from "../../infra/samples/external.ts";
import { EXTERNAL_KIND_NAMES, EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { signPayload } from "../../shared/node/signature.ts";
import { ROOT } from "../support/bundles.ts";
import { startProcess } from "../support/http.ts";
import { freePort, freshEnv, npmSend } from "../support/local-commands.ts";

const PLATFORMS = ["vercel", "aws-lambda", "netlify"] as const;
const SECRET_VARIABLES = Object.keys(DEV_EXTERNAL_SECRETS);

/** This suite's own external handlers: one kind, so that "yours for what you implement, demo for the rest" is seen. */
const OWN_HANDLERS = `export const externalHandlers = {
  "tax-calculator": () => ({ taxRate: 0.05, metadata: { from: "suite" } }),
};
`;

/** Each kind's status and answer document, read back from send's output (`<kind>  <status>  ...` then the JSON). */
function answers(stdout: string): Map<string, { status: number; document: Record<string, unknown> }> {
  const found = new Map<string, { status: number; document: Record<string, unknown> }>();
  for (const block of stdout.split(/^POST /m).slice(1)) {
    const match = block.match(/^(\S+)\s{2}(\d{3})\s{2}.*\n(\{[\s\S]*?\n\})/m);
    if (match) found.set(match[1] as string, { status: Number(match[2]), document: JSON.parse(match[3] as string) });
  }
  return found;
}

type Attributes = Record<string, unknown>;
const sample = (kind: ExternalKind) => buildExternalSample(kind).payload;
const attributesOf = (kind: ExternalKind) => sample(kind).data.attributes as Attributes;
const includedOf = (kind: ExternalKind, type: string) =>
  sample(kind).included.filter((resource) => resource.type === type);

/** The document each kind answers with: the demo's rules applied to the sample, or this suite's own tax handler. */
function expected(kind: ExternalKind): { status: number; data: Record<string, unknown> } {
  const orderTotal = Number((includedOf(kind, "orders")[0]?.attributes as Attributes | undefined)?.total_amount_cents);
  const payment = (action: string, amount: number) => ({
    transaction_token: `demo_${action}_${sample(kind).data.id}`,
    amount_cents: amount,
    metadata: { demo_gateway: action },
  });
  switch (kind) {
    case "payment-gateway/authorize":
      return { status: 202, data: payment("authorize", orderTotal) };
    case "payment-gateway/capture":
    case "payment-gateway/void":
    case "payment-gateway/refund":
      return { status: 200, data: payment(kind.split("/")[1] as string, Number(attributesOf(kind).amount_cents)) };
    case "payment-gateway/customer-token":
      return { status: 200, data: { customer_token: `demo_customer_token_${sample(kind).data.id}` } };
    case "tax-calculator":
      return { status: 200, data: { tax_rate: 0.05, metadata: { from: "suite" } } };
    case "prices": {
      const sku = includedOf(kind, "skus")[0]?.attributes as Attributes;
      const unit = (sku.metadata as Attributes).unit_amount_cents;
      return {
        status: 200,
        data: { sku_code: attributesOf(kind).sku_code, unit_amount_cents: unit, metadata: { demo_price: "sku" } },
      };
    }
    case "shipping-costs":
      return { status: 200, data: { shipping_amount_cents: 700, amount_cents: 700 } };
    case "order-validation":
      return { status: 200, data: {} };
    case "promotion": {
      const subtotal = Number(attributesOf(kind).subtotal_amount_cents);
      return { status: 200, data: { name: "Demo: 10% off from 50", discount_cents: Math.round(subtotal / 10) } };
    }
  }
}

describe("npm start + npm run send -- --external", () => {
  let port: number;
  let folder: string;
  let receiver: Awaited<ReturnType<typeof startProcess>>;

  beforeAll(async () => {
    port = await freePort();
    folder = mkdtempSync(join(tmpdir(), "cl-external-"));
    writeFileSync(join(folder, "external.ts"), OWN_HANDLERS);
    receiver = await startProcess(
      "npm",
      [
        "start",
        "--",
        "--handlers",
        "test/fixtures/handlers.ts",
        "--external-handlers",
        join(folder, "external.ts"),
        "--no-watch",
      ],
      { cwd: ROOT, env: freshEnv({ PORT: String(port) }), ready: /Ctrl-C stops it/, timeoutMs: 60_000 },
    );
  }, 70_000);

  afterAll(async () => {
    await receiver?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("prints one URL per kind, ending in it, says which handlers serve it, and warns about the development secrets", () => {
    const output = receiver.output();
    for (const variable of SECRET_VARIABLES) expect(output).toMatch(new RegExp(`^!!\\s+${variable}$`, "m"));
    for (const kind of EXTERNAL_KIND_NAMES) {
      const lines = output.split("\n").filter((line) => line.endsWith(`/vercel/api/external/${kind}`));
      expect(lines, kind).toHaveLength(1);
      expect(lines[0]).toContain(`POST http://127.0.0.1:${port}/vercel/api/external/${kind}`);
      expect(lines[0]).toContain(EXTERNAL_KINDS[kind].secretEnv);
      expect(lines[0]?.trim().startsWith(kind === "tax-calculator" ? "yours" : "demo")).toBe(true);
    }
    expect(output).toContain(`aws-lambda under http://127.0.0.1:${port}/aws-lambda/external/<kind>`);
    expect(output).toContain(`netlify under http://127.0.0.1:${port}/netlify/external/<kind>`);
  });

  it.each(PLATFORMS)("`send --external all` on the %s paths: every kind answers its document", async (platform) => {
    const result = await npmSend(port, ["--external", "all", "--platform", platform]);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain("Summary: 10 called, 10 answered with success, 0 not");
    const got = answers(result.stdout);
    for (const kind of EXTERNAL_KIND_NAMES) {
      const answer = got.get(kind);
      const want = expected(kind);
      expect(answer?.status, kind).toBe(want.status);
      const data = answer?.document.data as Record<string, unknown>;
      if (kind === "payment-gateway/authorize") {
        // The asynchronous example: pending, with a fresh action id the outcome is posted with later.
        expect(data.action_id).toMatch(/^demo_action_[0-9a-f-]{36}$/);
        const { action_id: _actionId, ...rest } = data;
        expect(rest, kind).toEqual(want.data);
      } else expect(answer?.document, kind).toEqual({ success: true, data: want.data });
    }
    // The receiver's own readable line for each call, through this platform's factory.
    const lines = receiver.output().split("\n");
    for (const kind of EXTERNAL_KIND_NAMES)
      expect(
        lines.some((line) => new RegExp(`\\s${platform}\\s+${kind}\\s+\\S+\\s+answered\\s+20[02]\\s`).test(line)),
      ).toBe(true);
  });

  it("`send <kind>` (a kind as the argument) signs with that kind's own development secret and says so", async () => {
    const result = await npmSend(port, ["shipping-costs", "--platform", "aws-lambda"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`/aws-lambda/external/shipping-costs`);
    expect(result.stdout).toContain("signed with the local development secret of COMMERCELAYER_SHIPPING_METHOD_SECRET");
    expect(result.stdout).not.toContain(DEV_EXTERNAL_SECRETS.COMMERCELAYER_SHIPPING_METHOD_SECRET);
  });

  it.each(PLATFORMS)("on %s, a call signed with another resource's secret is refused 401", async (platform) => {
    // Prices verify with the market's secret; the tax calculator's, also accepted by this receiver, must not pass.
    const secret = DEV_EXTERNAL_SECRETS.COMMERCELAYER_TAX_CALCULATOR_SECRET;
    const result = await npmSend(port, ["--external", "prices", "--platform", platform, "--secret", secret]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^prices {2}401 {2}error invalid_signature/m);
    expect(answers(result.stdout).get("prices")?.document).toEqual({
      success: false,
      error: { code: "invalid_signature", message: "invalid signature" },
    });
  });

  it("--print sends nothing and shows the signed request, deterministic by --seed", async () => {
    const result = await npmSend(port, ["--external", "promotion", "--print", "--seed", "4"]);
    expect(result.code).toBe(0);
    const { body } = buildExternalSample("promotion", { seed: 4 });
    expect(body).toMatch(/"subtotal_amount_float":\d+\.\d+/);
    expect(result.stdout).toContain("promotion: not sent (--print)");
    expect(result.stdout).toContain(
      `x-commercelayer-signature: ${signPayload(Buffer.from(body), DEV_EXTERNAL_SECRETS.COMMERCELAYER_PROMOTION_SECRET)}`,
    );
    expect(result.stdout).toContain(body);
    expect(buildExternalSample("promotion", { seed: 5 }).body).not.toBe(body);
  });
});
