// The asynchronous payment flow's second half: a gateway answered 202 with an `action_id` (the transaction is pending);
// once the payment provider has decided, the outcome is POSTed to the gateway's `webhook_endpoint_url`, signed with the
// gateway's shared secret, in the same document as the answer would have been, with that `action_id`. Web Crypto and
// fetch only, so it runs on Node 20+ and on the edge alike.
import { signPayload } from "../web/signature.ts";
import { EXTERNAL_KINDS } from "./kinds.ts";
import type { Metadata } from "./results.ts";

export interface PaymentOutcome {
  /** The `action_id` the 202 answer carried. */
  readonly actionId: string;
  readonly succeeded: boolean;
  readonly transactionToken: string;
  readonly amountCents: number;
  /** When it failed: your code and message, recorded on the transaction. */
  readonly error?: { readonly code: string; readonly message: string };
  readonly metadata?: Metadata;
}

export interface PostPaymentOutcomeOptions {
  /** The external gateway's `webhook_endpoint_url`. */
  readonly url: string;
  /** Default: the first of COMMERCELAYER_PAYMENT_GATEWAY_SECRET. */
  readonly secret?: string;
  readonly fetch?: typeof fetch;
}

/** The exact bytes posted: the answer document, `success` as the outcome, with the action id. */
export function paymentOutcomeBody(outcome: PaymentOutcome): string {
  const data: Record<string, unknown> = {
    transaction_token: outcome.transactionToken,
    amount_cents: outcome.amountCents,
    action_id: outcome.actionId,
  };
  if (outcome.metadata !== undefined) data.metadata = outcome.metadata;
  if (!outcome.succeeded && outcome.error !== undefined) data.error = outcome.error;
  return JSON.stringify({ success: outcome.succeeded, data });
}

/** Signs and posts the outcome; resolves with the endpoint's status, rejects when it is not 2xx (retry it). */
export async function postPaymentOutcome(outcome: PaymentOutcome, options: PostPaymentOutcomeOptions): Promise<number> {
  const variable = EXTERNAL_KINDS["payment-gateway/authorize"].secretEnv;
  const secret = options.secret ?? globalThis.process?.env?.[variable]?.split(",")[0]?.trim();
  if (!secret) throw new Error(`postPaymentOutcome: no secret (set ${variable} or pass secret)`);
  const body = paymentOutcomeBody(outcome);
  const response = await (options.fetch ?? fetch)(options.url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-commercelayer-signature": await signPayload(body, secret) },
    body,
  });
  if (!response.ok) throw new Error(`postPaymentOutcome: ${options.url} answered ${response.status}`);
  return response.status;
}
