import { afterEach, describe, expect, it, vi } from "vitest";
import { signPayload } from "../../shared/node/signature.ts";
import { signedBody, signedDelivery, TEST_SECRET } from "../support/deliveries.ts";
import { httpReceiver as createWebhookReceiver, receiverWithLog } from "../support/receiver.ts";

const post = (delivery: { body: Buffer; headers: Record<string, string> }) => ({
  method: "POST",
  headers: delivery.headers,
  body: delivery.body,
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("status contract", () => {
  it("200 and handlers run: valid signature, topic handled", async () => {
    const seen: string[] = [];
    const { receive, logs } = receiverWithLog({ "orders.place": (event) => void seen.push(event.id) });
    const delivery = signedDelivery("orders.place");
    const response = await receive(post(delivery));
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ received: true, outcome: "handled" });
    expect(seen).toEqual([JSON.parse(delivery.body.toString()).data.id]);
    expect(logs).toEqual([
      expect.objectContaining({ topic: "orders.place", id: seen[0], outcome: "handled", status: 200 }),
    ]);
  });

  it("200 and nothing runs: valid signature, no handler for the topic, unknown future topics included", async () => {
    const handler = vi.fn<() => void>();
    const { receive, logs } = receiverWithLog({ "orders.place": handler });
    for (const topic of ["customers.create", "orders.cancel", "widgets.teleport"]) {
      const response = await receive(post(signedDelivery(topic)));
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body).outcome).toBe("ignored");
    }
    expect(handler).not.toHaveBeenCalled();
    expect(logs.map((entry) => entry.outcome)).toEqual(["ignored", "ignored", "ignored"]);
  });

  it("405 with Allow: POST for any other method", async () => {
    const handler = vi.fn<() => void>();
    const { receive, logs } = receiverWithLog({ "*": handler });
    for (const method of ["GET", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"]) {
      const response = await receive({ ...post(signedDelivery("orders.place")), method });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe("POST");
    }
    expect(handler).not.toHaveBeenCalled();
    expect(logs.every((entry) => entry.reason === "method_not_allowed")).toBe(true);
  });

  it("413 by default above 5 MiB, and the limit follows COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES", async () => {
    const receive = createWebhookReceiver({}, { secrets: [TEST_SECRET], log: () => {} });
    const big = signedBody("orders.place", Buffer.alloc(5 * 1024 * 1024 + 1, 0x20));
    expect((await receive(post(big))).status).toBe(413);
    const atLimit = signedBody("orders.place", Buffer.alloc(5 * 1024 * 1024, 0x20));
    expect((await receive(post(atLimit))).status).toBe(400);
    vi.stubEnv("COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES", "100");
    expect((await receive(post(signedDelivery("customers.create")))).status).toBe(413);
    expect(receive.receiver.maxBodyBytes()).toBe(100);
  });

  it("401 for a missing, wrong, duplicated or empty signature, and nothing runs", async () => {
    const handler = vi.fn<() => void>();
    const { receive, logs } = receiverWithLog({ "*": handler });
    const delivery = signedDelivery("orders.place");
    const { "x-commercelayer-signature": signature = "", ...unsigned } = delivery.headers;
    const cases: [Record<string, string | string[]>, string][] = [
      [unsigned, "missing_signature"],
      [{ ...unsigned, "x-commercelayer-signature": "" }, "missing_signature"],
      [{ ...unsigned, "x-commercelayer-signature": signPayload(delivery.body, "another-secret") }, "invalid_signature"],
      [{ ...unsigned, "x-commercelayer-signature": signPayload(Buffer.from("{}"), TEST_SECRET) }, "invalid_signature"],
      [{ ...unsigned, "x-commercelayer-signature": [signature, signature] }, "duplicate_signature_header"],
      [{ ...unsigned, "x-commercelayer-signature": `${signature},${signature}` }, "duplicate_signature_header"],
    ];
    for (const [headers, reason] of cases) {
      const response = await receive({ method: "POST", headers, body: delivery.body });
      expect(response.status).toBe(401);
      expect(logs.at(-1)).toMatchObject({ outcome: "rejected", reason });
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it("500 when no secret is configured, logged as a configuration error; fails closed", async () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", "");
    const handler = vi.fn<() => void>();
    const logs: unknown[] = [];
    const receive = createWebhookReceiver({ "*": handler }, { log: (entry) => logs.push(entry) });
    const response = await receive(post(signedDelivery("orders.place")));
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ error: "no_secret_configured" });
    expect(handler).not.toHaveBeenCalled();
    expect(logs[0]).toMatchObject({
      outcome: "failed",
      reason: "no_secret_configured",
      hint: expect.stringContaining("COMMERCELAYER_WEBHOOK_SECRET"),
    });
  });

  it("400 for signed bodies that are not a Commerce Layer document", async () => {
    const handler = vi.fn<() => void>();
    const { receive, logs } = receiverWithLog({ "*": handler });
    for (const body of [
      "not json",
      "null",
      "[]",
      '"x"',
      "42",
      "{}",
      '{"data":null}',
      '{"data":{"type":"orders"}}',
      '{"data":{"id":1,"type":"orders"}}',
      '{"data":{"id":"a","type":"orders"},"included":{}}',
    ]) {
      const response = await receive(post(signedBody("orders.place", body)));
      expect(response.status, body).toBe(400);
      expect(logs.at(-1)?.reason).toBe("invalid_payload");
    }
    const invalidUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    expect((await receive(post(signedBody("orders.place", invalidUtf8)))).status).toBe(400);
    expect(handler).not.toHaveBeenCalled();
  });

  it("400 for a missing or malformed topic on an authentic body", async () => {
    const handler = vi.fn<() => void>();
    const { receive, logs } = receiverWithLog({ "*": handler });
    const delivery = signedDelivery("orders.place");
    const { "x-commercelayer-topic": _topic, ...withoutTopic } = delivery.headers;
    expect((await receive({ method: "POST", headers: withoutTopic, body: delivery.body })).status).toBe(400);
    expect(logs.at(-1)?.reason).toBe("missing_topic");
    for (const topic of [
      "orders",
      "orders.",
      ".place",
      "Orders.Place",
      "orders.place.now",
      "orders place",
      "../etc",
      "orders.place,orders.place",
    ]) {
      const response = await receive({
        method: "POST",
        headers: { ...delivery.headers, "x-commercelayer-topic": topic },
        body: delivery.body,
      });
      expect(response.status, topic).toBe(400);
    }
    expect(handler).not.toHaveBeenCalled();
  });

  it("400 when the unsigned topic header disagrees with data.type", async () => {
    const handler = vi.fn<() => void>();
    const { receive, logs } = receiverWithLog({ "*": handler, "customers.create": handler });
    const orders = signedDelivery("orders.place");
    const response = await receive({
      method: "POST",
      headers: { ...orders.headers, "x-commercelayer-topic": "customers.create" },
      body: orders.body,
    });
    expect(response.status).toBe(400);
    expect(logs.at(-1)).toMatchObject({ reason: "topic_type_mismatch", topic: "customers.create" });
    expect(handler).not.toHaveBeenCalled();
  });

  it("500 when a handler throws or rejects, after every other handler has finished", async () => {
    const finished: string[] = [];
    const { receive, logs } = receiverWithLog({
      "orders.place": [
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          finished.push("slow");
        },
        () => {
          throw new TypeError("boom");
        },
      ],
      "orders.*": async () => {
        throw new Error("rejected");
      },
      "*": () => void finished.push("any"),
    });
    const response = await receive(post(signedDelivery("orders.place")));
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ error: "handler_failed" });
    expect(finished.sort()).toEqual(["any", "slow"]);
    expect(logs[0]).toMatchObject({
      outcome: "failed",
      reason: "handler_failed",
      errors: ["TypeError: boom", "Error: rejected"],
    });
  });
});

describe("what the pipeline never does", () => {
  it("verifies before it parses: a forged body is never parsed", async () => {
    const parse = vi.spyOn(JSON, "parse");
    const { receive } = receiverWithLog({ "*": vi.fn<() => void>() });
    const delivery = signedDelivery("orders.place", { secret: "attacker" });
    expect((await receive(post(delivery))).status).toBe(401);
    expect(parse).not.toHaveBeenCalled();
  });

  it("never puts a stack trace, the secret, the signature or payload values into responses or logs", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const receive = createWebhookReceiver(
      { "orders.place": () => Promise.reject(new Error("downstream unavailable")) },
      { secrets: [TEST_SECRET] },
    );
    const delivery = signedDelivery("orders.place");
    const bodies: string[] = [];
    bodies.push((await receive(post(delivery))).body);
    bodies.push(
      (await receive({ ...post(delivery), headers: { ...delivery.headers, "x-commercelayer-signature": "bad" } })).body,
    );
    bodies.push((await receive(post(signedBody("orders.place", "not json")))).body);
    const order = JSON.parse(delivery.body.toString()).data.attributes;
    for (const text of [...bodies, ...lines]) {
      expect(text).not.toContain(TEST_SECRET);
      expect(text).not.toContain(delivery.headers["x-commercelayer-signature"]);
      expect(text).not.toContain(order.customer_email);
      expect(text).not.toContain(String(order.number));
      expect(text).not.toMatch(/\n\s+at /);
      expect(text.length).toBeLessThan(400);
    }
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({
      level: "error",
      msg: "commercelayer webhook",
      outcome: "failed",
    });
  });
});

describe("secrets from the environment", () => {
  it("reads COMMERCELAYER_WEBHOOK_SECRET at each delivery: comma-separated, trimmed, rotation without re-import", async () => {
    const handler = vi.fn<() => void>();
    const receive = createWebhookReceiver({ "orders.place": handler }, { log: () => {} });
    const delivery = signedDelivery("orders.place", { secret: "second" });
    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", "first");
    expect((await receive(post(delivery))).status).toBe(401);
    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", "  first ,\n second  ");
    expect((await receive(post(delivery))).status).toBe(200);
    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", " second\n");
    expect((await receive(post(delivery))).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it("accepts header names in any case", async () => {
    const handler = vi.fn<() => void>();
    const { receive } = receiverWithLog({ "orders.place": handler });
    const delivery = signedDelivery("orders.place");
    const sig = delivery.headers["x-commercelayer-signature"] ?? "";
    for (const [sigName, topicName] of [
      ["X-CommerceLayer-Signature", "X-CommerceLayer-Topic"],
      ["X-COMMERCELAYER-SIGNATURE", "x-commercelayer-topic"],
      ["x-Commercelayer-signature", "X-COMMERCELAYER-TOPIC"],
    ] as const) {
      const response = await receive({
        method: "post",
        headers: { [sigName]: ` ${sig} `, [topicName]: "orders.place" },
        body: delivery.body,
      });
      expect(response.status).toBe(200);
    }
    expect(handler).toHaveBeenCalledTimes(3);
  });
});

describe("rejection hints: what the reason name cannot say, never a secret or a payload value", () => {
  it("401 invalid_signature gives the bytes received, so a lost body (0 bytes) tells itself from a wrong secret", async () => {
    const { receive, logs } = receiverWithLog({});
    const delivery = signedDelivery("orders.place");
    const forged = { ...delivery.headers, "x-commercelayer-signature": signPayload(delivery.body, "another-secret") };
    await receive({ method: "POST", headers: forged, body: delivery.body });
    expect(logs.at(-1)?.hint).toBe(
      `${delivery.body.length} bytes received: check COMMERCELAYER_WEBHOOK_SECRET or COMMERCELAYER_WEBHOOK_TOPIC_SECRETS, or whether something changed the body`,
    );
    await receive({ method: "POST", headers: delivery.headers, body: Buffer.alloc(0) });
    expect(logs.at(-1)).toMatchObject({
      reason: "invalid_signature",
      hint: expect.stringMatching(/^0 bytes received/),
    });
    const text = JSON.stringify(logs);
    expect(text).not.toContain(TEST_SECRET);
    expect(text).not.toContain(delivery.headers["x-commercelayer-signature"]);
  });

  it("400 malformed_topic logs the topic as received: control characters escaped, cut to 64 characters", async () => {
    const { receive, logs } = receiverWithLog({});
    const delivery = signedDelivery("orders.place");
    const sent = async (topic: string) => {
      const answer = await receive({
        method: "POST",
        headers: { ...delivery.headers, "x-commercelayer-topic": topic },
        body: delivery.body,
      });
      return { status: answer.status, body: answer.body, line: logs.at(-1) };
    };
    expect(await sent("Orders.Place")).toEqual({
      status: 400,
      body: '{"error":"malformed_topic"}',
      line: expect.objectContaining({ outcome: "rejected", reason: "malformed_topic", topic: "Orders.Place" }),
    });
    expect((await sent("orders.place\u0007")).line?.topic).toBe("orders.place\\u0007");
    const long = `orders.${"x".repeat(200)}-`;
    expect((await sent(long)).line?.topic).toBe(`${long.slice(0, 64)}…`);
    // The answer never echoes it.
    expect((await sent(long)).body).toBe('{"error":"malformed_topic"}');
  });

  it("400 invalid_payload says which check failed", async () => {
    const { receive, logs } = receiverWithLog({});
    const cases: [string | Buffer, string][] = [
      [Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), "the body is not valid UTF-8"],
      ["not json", "the body is not JSON"],
      ['{"data":null}', "no data object"],
      ['{"data":{"id":"","type":"orders"}}', "data.id or data.type missing"],
      ['{"data":{"id":"a","type":"orders"},"included":{}}', "included is not an array"],
    ];
    for (const [body, hint] of cases) {
      const response = await receive(post(signedBody("orders.place", body)));
      expect(response.body).toBe('{"error":"invalid_payload"}');
      expect(logs.at(-1)).toMatchObject({ reason: "invalid_payload", hint });
    }
  });

  it("400 topic_type_mismatch names the type the topic needs; 413 names the limit and its setting", async () => {
    const { receive, logs } = receiverWithLog({});
    const customer = signedDelivery("customers.create");
    await receive(post({ ...customer, headers: { ...customer.headers, "x-commercelayer-topic": "orders.place" } }));
    expect(logs.at(-1)).toMatchObject({
      reason: "topic_type_mismatch",
      hint: "the topic needs data.type orders",
    });
    vi.stubEnv("COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES", "100");
    await receive(post(customer));
    expect(logs.at(-1)).toMatchObject({
      reason: "body_too_large",
      hint: "over 100 bytes: see COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES",
    });
  });

  it("the response carries the reason only, by the same name as the log", async () => {
    const { receive, logs } = receiverWithLog({});
    const response = await receive(post(signedBody("orders.place", "not json")));
    expect(JSON.parse(response.body)).toEqual({ error: logs.at(-1)?.reason });
    expect(response.body).not.toContain("hint");
  });
});
