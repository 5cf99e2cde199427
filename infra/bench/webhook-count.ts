// What the number of webhooks costs a delivery. In Commerce Layer one webhook has one topic and its own secret, so a `*`
// handler means 186 webhooks and 186 secrets. With the plain list (COMMERCELAYER_WEBHOOK_SECRET) every delivery is
// hashed with each of them; with the secrets bound to topics (COMMERCELAYER_WEBHOOK_TOPIC_SECRETS) only with its own.
// Measured on the Lambda bundle as API Gateway calls it, against the same bundle holding one secret (the floor).
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { SECRET_ENV } from "../../shared/core/env.ts";
import { formatTopicSecrets, TOPIC_SECRETS_ENV } from "../../shared/core/topic-secrets.ts";
import { CURRENT_TOPICS } from "../../shared/generated/topics.ts";
import { signPayload } from "../../shared/node/signature.ts";
import { callEntry, ENTRY_POINTS, platformInput } from "../drive/entry-points.ts";
import { buildSampleDelivery } from "../samples/build.ts";
import { BENCH_ROOT } from "./bench-build.ts";
import type { BenchDelivery } from "./fixtures.ts";
import { type Candidate, type CpuResult, measureAll } from "./per-delivery.ts";

const TOPIC = "orders.place";

/** One secret per topic, as `apply` would get them from Commerce Layer: 32 random bytes, base64. */
const bindings = CURRENT_TOPICS.map((topic) => ({
  topic: topic as string,
  secret: randomBytes(32).toString("base64"),
}));
const own = bindings.find((binding) => binding.topic === TOPIC)?.secret ?? "";

function signed(label: string, body: Buffer, signature: string): BenchDelivery {
  return {
    label: `${label} (${body.length >= 1024 * 1024 ? `${(body.length / 1024 / 1024).toFixed(0)} MiB` : `${(body.length / 1024).toFixed(1)} KB`})`,
    topic: TOPIC,
    body,
    headers: {
      "content-type": "application/json",
      "x-commercelayer-topic": TOPIC,
      "x-commercelayer-signature": signature,
    },
  };
}

export async function measureWebhookCount(): Promise<(CpuResult & { ratio: number })[]> {
  const { bundle, exportName, shape } = ENTRY_POINTS["aws-lambda"];
  const module = (await import(pathToFileURL(`${BENCH_ROOT}${bundle}`).href)) as Record<string, unknown>;
  const call = module[exportName] as (...args: unknown[]) => Promise<unknown>;
  // Set before each batch (outside the clock): the bundle reads its secrets at every delivery.
  const holding = (name: string, plain: string, bound: string): Candidate => ({
    name,
    prepare: (delivery, count) => {
      process.env[SECRET_ENV] = plain;
      process.env[TOPIC_SECRETS_ENV] = bound;
      const sent = {
        method: "POST",
        url: "https://example.com/webhooks",
        headers: delivery.headers,
        body: delivery.body,
      };
      return Array.from({ length: count }, () => platformInput(shape, sent));
    },
    run: (input) => callEntry(call, shape, input as unknown[]),
  });
  const list = [
    holding("1 secret (floor)", own, ""),
    holding(`${bindings.length} secrets in ${SECRET_ENV}`, bindings.map((binding) => binding.secret).join(","), ""),
    holding(`${bindings.length} secrets bound to topics`, "", formatTopicSecrets(bindings)),
  ];
  const body = Buffer.from(buildSampleDelivery(TOPIC, { includes: true }).body, "utf8");
  const forged = Buffer.alloc(5 * 1024 * 1024 - 1024, 0x20);
  const rows = [
    ...(await measureAll(list, signed(`genuine ${TOPIC}`, body, signPayload(body, own)))),
    // A forged body of real size: with bound secrets, also tried under the other orders.* topics' (to name a swap).
    ...(await measureAll(list, signed(`forged ${TOPIC}`, body, signPayload(body, "forger")), 11, 20)),
    ...(await measureAll(list, signed("forged body at the limit", forged, signPayload(forged, "forger")), 5, 2)),
  ];
  delete process.env[TOPIC_SECRETS_ENV];
  return rows;
}
