// The asynchronous payment flow's second half as an app calls it: each built external factory's postPaymentOutcome
// (the edge one on Web Crypto) signs the outcome with the gateway's secret and posts it to a real local
// webhook_endpoint_url, which verifies the signature over the bytes it received, as Commerce Layer would.
import type { Server } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { verifySignature } from "../../../shared/node/signature.ts";
import { importExternalFactory } from "../../support/external-bundles.ts";
import { EXTERNAL_SECRETS } from "../../support/external-requests.ts";
import { listenOnLoopback } from "../../support/http.ts";

const GATEWAY_SECRET = EXTERNAL_SECRETS.COMMERCELAYER_PAYMENT_GATEWAY_SECRET;
const OUTCOME = { actionId: "act_7", succeeded: true, transactionToken: "tok_7", amountCents: 1250 };

interface Factory {
  postPaymentOutcome(outcome: typeof OUTCOME, options: { url: string }): Promise<number>;
  paymentOutcomeBody(outcome: typeof OUTCOME): string;
}

let server: Server | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

describe.each(["vercel", "node", "aws-lambda", "netlify", "edge"])("%s factory", (platform) => {
  it("posts the outcome signed with COMMERCELAYER_PAYMENT_GATEWAY_SECRET, verifiable over the bytes received", async () => {
    const received: { signature: string; body: Buffer }[] = [];
    const started = await listenOnLoopback((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        received.push({ signature: String(req.headers["x-commercelayer-signature"]), body: Buffer.concat(chunks) });
        res.writeHead(200).end();
      });
    });
    server = started.server;
    vi.stubEnv("COMMERCELAYER_PAYMENT_GATEWAY_SECRET", GATEWAY_SECRET);
    const factory = await importExternalFactory<Factory>(platform);
    expect(await factory.postPaymentOutcome(OUTCOME, { url: `${started.url}/hook` })).toBe(200);
    const [call] = received;
    if (call === undefined) throw new Error("nothing received");
    expect(verifySignature(call.body, call.signature, [GATEWAY_SECRET])).toBe(true);
    // Another resource's secret does not verify it.
    expect(verifySignature(call.body, call.signature, [EXTERNAL_SECRETS.COMMERCELAYER_MARKET_SECRET])).toBe(false);
    expect(call.body.toString("utf8")).toBe(factory.paymentOutcomeBody(OUTCOME));
    expect(JSON.parse(call.body.toString("utf8"))).toEqual({
      success: true,
      data: { transaction_token: "tok_7", amount_cents: 1250, action_id: "act_7" },
    });
  });
});
