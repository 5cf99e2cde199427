// Signed deliveries for the suites, from the same sample builder `npm run send` uses.

import { buildSampleDelivery, type SampleOptions } from "../../infra/samples/build.ts";
import { signPayload } from "../../shared/node/signature.ts";

export const TEST_SECRET = "cl-test-secret-5f1d2c";

export interface SignedDelivery {
  readonly topic: string;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

/** A delivery as Commerce Layer sends it: Ruby-style JSON body, signature and topic headers. */
export function signedDelivery(topic: string, options: SampleOptions & { secret?: string } = {}): SignedDelivery {
  const body = Buffer.from(buildSampleDelivery(topic, options).body, "utf8");
  return signedBody(topic, body, options.secret);
}

export function signedBody(topic: string, body: Buffer | string, secret = TEST_SECRET): SignedDelivery {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  return {
    topic,
    body: bytes,
    headers: {
      "content-type": "application/json",
      "user-agent": "CommerceLayer Module",
      "x-commercelayer-topic": topic,
      "x-commercelayer-signature": signPayload(bytes, secret),
    },
  };
}
