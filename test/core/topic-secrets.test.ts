// Secrets bound to topics (shared/core/topic-secrets.ts): the variable's format, and what the receiver does with it —
// a delivery is hashed only with its topic's secret(s), a topic with none is refused before any hashing, and a body
// signed with another topic's secret is named as such. Cost is counted in hashes, not timed.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DeliveryLogEntry } from "../../shared/core/log.ts";
import type { ReceiverRuntime } from "../../shared/core/runtime.ts";
import { formatTopicSecrets, parseTopicSecrets, TOPIC_SECRETS_ENV } from "../../shared/core/topic-secrets.ts";
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import { WEB_RUNTIME } from "../../shared/web/runtime.ts";
import { createWebhookReceiver, webhookEndpoint } from "../../shared/webhooks/receiver.ts";
import { signedBody, signedDelivery } from "../support/deliveries.ts";

afterEach(() => vi.unstubAllEnvs());

/** A secret per topic of `resource`, as `apply` would bind them: `<topic>-secret`. */
function boundSecrets(topics: readonly string[]): string {
  return formatTopicSecrets(topics.map((topic) => ({ topic, secret: `${topic}-secret` })));
}

/** The topics of a `*` handler's webhooks, roughly: 186, a handful per resource. */
const MANY_TOPICS = Array.from({ length: 186 }, (_, index) => `resource${Math.floor(index / 6)}.event${index % 6}`);

/** A runtime that counts the secrets it hashes with. */
function countingRuntime(base: ReceiverRuntime): { runtime: ReceiverRuntime; hashed: () => number } {
  let hashed = 0;
  const runtime: ReceiverRuntime = {
    ...base,
    verifySignature: (body, signature, secrets) => {
      hashed += secrets.length;
      return base.verifySignature(body, signature, secrets);
    },
  };
  return { runtime, hashed: () => hashed };
}

function receiverOn(base: ReceiverRuntime, env: string) {
  vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", "");
  vi.stubEnv(TOPIC_SECRETS_ENV, env);
  const logs: DeliveryLogEntry[] = [];
  const { runtime, hashed } = countingRuntime(base);
  const endpoint = webhookEndpoint(
    createWebhookReceiver(runtime, { "*": () => undefined }, { log: (entry) => logs.push(entry) }),
  );
  const send = (delivery: { headers: Record<string, string>; body: Buffer }) =>
    endpoint.answer({ method: "POST", headers: delivery.headers, body: delivery.body });
  return { send, logs, hashed };
}

describe("the variable's format", () => {
  it("binds each topic to its secrets, base64 padding kept, a topic twice (a rotation) kept as two", () => {
    const parsed = parseTopicSecrets(" orders.place=abc+/=, orders.cancel=x==,orders.place=new=,, broken ,=x,y= ");
    expect([...parsed]).toEqual([
      ["orders.place", ["abc+/=", "new="]],
      ["orders.cancel", ["x=="]],
    ]);
    const entries = [
      { topic: "orders.place", secret: "a=" },
      { topic: "orders.place", secret: "b=" },
    ];
    expect(parseTopicSecrets(formatTopicSecrets(entries)).get("orders.place")).toEqual(["a=", "b="]);
    expect(parseTopicSecrets(undefined).size).toBe(0);
    expect(parseTopicSecrets("  ").size).toBe(0);
  });
});

describe.each([
  ["Node", NODE_RUNTIME],
  ["Web Crypto", WEB_RUNTIME],
])("the receiver on %s", (_name, base) => {
  it("hashes a genuine delivery once, whatever the number of webhooks", async () => {
    const topic = MANY_TOPICS[100] as string;
    const { send, hashed } = receiverOn(base, boundSecrets(MANY_TOPICS));
    const delivery = signedBody(topic, `{"data":{"id":"a1","type":"${topic.split(".")[0]}"}}`, `${topic}-secret`);
    expect((await send(delivery)).status).toBe(200);
    expect(hashed()).toBe(1);
  });

  it("refuses a topic no secret is bound to before any hashing, naming the variable", async () => {
    const { send, hashed, logs } = receiverOn(base, boundSecrets(MANY_TOPICS));
    const answer = await send(signedDelivery("orders.place", { secret: "whatever" }));
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({ error: "unbound_topic" });
    expect(hashed()).toBe(0);
    expect(logs.at(-1)).toMatchObject({ reason: "unbound_topic", topic: "orders.place" });
    expect(logs.at(-1)?.hint).toContain(TOPIC_SECRETS_ENV);
  });

  it("names the topic whose secret signed a swapped delivery, never the secret", async () => {
    const { send, logs } = receiverOn(base, boundSecrets(["orders.place", "orders.cancel", "customers.create"]));
    const place = signedDelivery("orders.place", { secret: "orders.place-secret" });
    const answer = await send({ ...place, headers: { ...place.headers, "x-commercelayer-topic": "orders.cancel" } });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({ error: "signed_for_another_topic" });
    expect(logs.at(-1)).toMatchObject({ topic: "orders.cancel", hint: expect.stringContaining("orders.place") });
    expect(JSON.stringify(logs)).not.toContain("-secret");
  });

  it("tries the other topics of the delivery's resource only, and only for a body of real size", async () => {
    const { send, hashed } = receiverOn(base, boundSecrets([...MANY_TOPICS, "orders.place", "orders.cancel"]));
    const forged = signedBody("orders.place", Buffer.alloc(1000, 0x20), "nobody's");
    expect(JSON.parse((await send(forged)).body)).toEqual({ error: "invalid_signature" });
    expect(hashed()).toBe(2); // orders.place's secret, then orders.cancel's: none of the 186 others
    const large = signedBody("orders.place", Buffer.alloc(300 * 1024, 0x20), "nobody's");
    expect(JSON.parse((await send(large)).body)).toEqual({ error: "invalid_signature" });
    expect(hashed()).toBe(3);
  });
});
