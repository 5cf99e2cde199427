// The asynchronous payment flow's second half: postPaymentOutcome signs the outcome with the gateway's secret and
// posts it to a real local server, which verifies it as Commerce Layer would.
import type { IncomingMessage, Server } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { paymentOutcomeBody, postPaymentOutcome } from "../../shared/external/callback.ts";
import { verifySignature } from "../../shared/node/signature.ts";
import { EXTERNAL_SECRETS } from "../support/external-requests.ts";
import { listenOnLoopback } from "../support/http.ts";

const GATEWAY_SECRET = EXTERNAL_SECRETS.COMMERCELAYER_PAYMENT_GATEWAY_SECRET;
interface Received {
  readonly method?: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
}

let server: Server | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A webhook_endpoint_url on loopback answering `status`, keeping what it received. */
async function gatewayEndpoint(status = 200): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const started = await listenOnLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status, { "content-type": "application/json" }).end("{}");
    });
  });
  server = started.server;
  return { url: `${started.url}/external_gateways/webhook`, received };
}

const OUTCOME = { actionId: "act_42", succeeded: true, transactionToken: "tok_42", amountCents: 7625 };

describe("postPaymentOutcome", () => {
  it("posts the outcome with action_id, signed with the gateway secret from the environment", async () => {
    vi.stubEnv("COMMERCELAYER_PAYMENT_GATEWAY_SECRET", `${GATEWAY_SECRET}, older-secret`);
    const { url, received } = await gatewayEndpoint(204);
    expect(await postPaymentOutcome({ ...OUTCOME, metadata: { provider: "p" } }, { url })).toBe(204);
    expect(received).toHaveLength(1);
    const [call] = received;
    if (call === undefined) throw new Error("nothing received");
    expect(call.method).toBe("POST");
    expect(call.headers["content-type"]).toBe("application/json");
    const signature = call.headers["x-commercelayer-signature"] as string;
    expect(verifySignature(call.body, signature, [GATEWAY_SECRET])).toBe(true);
    expect(verifySignature(call.body, signature, ["older-secret"])).toBe(false);
    expect(JSON.parse(call.body.toString("utf8"))).toEqual({
      success: true,
      data: { transaction_token: "tok_42", amount_cents: 7625, action_id: "act_42", metadata: { provider: "p" } },
    });
    expect(call.body.toString("utf8")).toBe(paymentOutcomeBody({ ...OUTCOME, metadata: { provider: "p" } }));
  });

  it("a failed payment: success false, the error in data", async () => {
    const { url, received } = await gatewayEndpoint();
    const outcome = { ...OUTCOME, succeeded: false, error: { code: "card_declined", message: "Declined" } };
    await postPaymentOutcome(outcome, { url, secret: "given-secret" });
    const [call] = received;
    if (call === undefined) throw new Error("nothing received");
    expect(verifySignature(call.body, call.headers["x-commercelayer-signature"] as string, ["given-secret"])).toBe(
      true,
    );
    expect(JSON.parse(call.body.toString("utf8"))).toEqual({
      success: false,
      data: {
        transaction_token: "tok_42",
        amount_cents: 7625,
        action_id: "act_42",
        error: { code: "card_declined", message: "Declined" },
      },
    });
  });

  it.each([301, 400, 401, 500, 503])("rejects when the endpoint answers %i (the caller retries)", async (status) => {
    const { url } = await gatewayEndpoint(status);
    await expect(postPaymentOutcome(OUTCOME, { url, secret: "s" })).rejects.toThrow(`answered ${status}`);
  });

  it("no secret: a clear error naming the variable, and nothing posted", async () => {
    vi.stubEnv("COMMERCELAYER_PAYMENT_GATEWAY_SECRET", "");
    const { url, received } = await gatewayEndpoint();
    await expect(postPaymentOutcome(OUTCOME, { url })).rejects.toThrow(/COMMERCELAYER_PAYMENT_GATEWAY_SECRET/);
    expect(received).toHaveLength(0);
  });

  it("uses the fetch it is given", async () => {
    const fetcher = vi.fn(async () => new Response(null, { status: 200 }));
    expect(await postPaymentOutcome(OUTCOME, { url: "https://x.test/hook", secret: "s", fetch: fetcher })).toBe(200);
    expect(fetcher).toHaveBeenCalledWith("https://x.test/hook", expect.objectContaining({ method: "POST" }));
  });
});
