// The deliveries the benchmarks use: the same realistic samples as the tests, signed with one secret.

import { signPayload } from "../../shared/node/signature.ts";
import { buildSampleDelivery } from "../samples/build.ts";

export const BENCH_SECRET = "bench-secret-4f0c2a";

export interface BenchDelivery {
  readonly label: string;
  readonly topic: string;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

function delivery(label: string, topic: string, includes: boolean): BenchDelivery {
  const body = Buffer.from(buildSampleDelivery(topic, { includes }).body, "utf8");
  return {
    label: `${label} (${(body.length / 1024).toFixed(1)} KB)`,
    topic,
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "CommerceLayer Module",
      "x-commercelayer-topic": topic,
      "x-commercelayer-signature": signPayload(body, BENCH_SECRET),
    },
  };
}

/** A ~2 KB customers.create without includes and a ~30 KB orders.place with 14 included resources. */
export function benchDeliveries(): BenchDelivery[] {
  return [delivery("customers.create", "customers.create", false), delivery("orders.place", "orders.place", true)];
}
