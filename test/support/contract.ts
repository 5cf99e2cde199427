// The receiving contract as data: every row of the status table, as a request any platform entry point can be given.
// Each platform suite turns these into its own event shape and checks the answer, so the table is written once.
import { signPayload } from "../../shared/node/signature.ts";
import { signedBody, signedDelivery, TEST_SECRET } from "./deliveries.ts";

export interface ContractRequest {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface ContractCase {
  readonly name: string;
  readonly request: ContractRequest;
  /** Environment for this case; COMMERCELAYER_WEBHOOK_SECRET defaults to TEST_SECRET. */
  readonly env?: Record<string, string>;
  readonly status: number;
  /** `outcome` (200) or `error` (otherwise) in the JSON response body. */
  readonly answer: string;
}

const post = (delivery: { headers: Record<string, string>; body: Buffer }): ContractRequest => ({
  method: "POST",
  headers: delivery.headers,
  body: delivery.body,
});

export function contractCases(): ContractCase[] {
  const place = signedDelivery("orders.place");
  const customer = signedDelivery("customers.create");
  const { "x-commercelayer-signature": _signature, ...unsigned } = place.headers;
  // An orders.place whose attributes are null makes the example handler throw: a real handler failure.
  const broken = signedBody(
    "orders.place",
    '{"data":{"id":"xYzAbCdEfG","type":"orders","attributes":null,"relationships":null,"meta":{"mode":"test"}}}',
  );
  return [
    { name: "handled topic", request: post(place), status: 200, answer: "handled" },
    { name: "handled topic, non-ASCII and emoji", request: post(customer), status: 200, answer: "handled" },
    {
      name: "topic without a handler",
      request: post(signedDelivery("parcels.create")),
      status: 200,
      answer: "ignored",
    },
    { name: "unknown future topic", request: post(signedDelivery("widgets.teleport")), status: 200, answer: "ignored" },
    {
      name: "GET",
      request: { ...post(place), method: "GET", body: Buffer.alloc(0) },
      status: 405,
      answer: "method_not_allowed",
    },
    { name: "PUT", request: { ...post(place), method: "PUT" }, status: 405, answer: "method_not_allowed" },
    {
      name: "body over the limit",
      request: post(place),
      env: { COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: "1024" },
      status: 413,
      answer: "body_too_large",
    },
    {
      name: "missing signature",
      request: { ...post(place), headers: unsigned },
      status: 401,
      answer: "missing_signature",
    },
    {
      name: "wrong signature",
      request: {
        ...post(place),
        headers: { ...place.headers, "x-commercelayer-signature": signPayload(place.body, "not-the-secret") },
      },
      status: 401,
      answer: "invalid_signature",
    },
    {
      name: "body one byte off",
      request: { ...post(place), body: Buffer.concat([place.body.subarray(0, -1), Buffer.from(" ")]) },
      status: 401,
      answer: "invalid_signature",
    },
    {
      name: "re-serialized body",
      request: { ...post(place), body: Buffer.from(JSON.stringify(JSON.parse(place.body.toString("utf8")))) },
      status: 401,
      answer: "invalid_signature",
    },
    {
      name: "no secret configured",
      request: post(place),
      env: { COMMERCELAYER_WEBHOOK_SECRET: "" },
      status: 500,
      answer: "no_secret_configured",
    },
    {
      name: "another secret of several (rotation)",
      request: post(place),
      env: { COMMERCELAYER_WEBHOOK_SECRET: ` old-secret , ${TEST_SECRET} ` },
      status: 200,
      answer: "handled",
    },
    {
      name: "signed, not JSON",
      request: post(signedBody("orders.place", "not json")),
      status: 400,
      answer: "invalid_payload",
    },
    {
      name: "signed, topic header missing",
      request: { ...post(place), headers: { ...place.headers, "x-commercelayer-topic": "" } },
      status: 400,
      answer: "missing_topic",
    },
    {
      name: "signed, malformed topic",
      request: { ...post(place), headers: { ...place.headers, "x-commercelayer-topic": "Orders.Place" } },
      status: 400,
      answer: "malformed_topic",
    },
    {
      name: "signed, topic disagrees with data.type",
      request: { ...post(place), headers: { ...place.headers, "x-commercelayer-topic": "customers.create" } },
      status: 400,
      answer: "topic_type_mismatch",
    },
    { name: "handler throws", request: post(broken), status: 500, answer: "handler_failed" },
  ];
}

/** The `outcome` or `error` field of a response body. */
export function answerOf(body: string): string {
  const parsed = JSON.parse(body) as { outcome?: string; error?: string };
  return parsed.outcome ?? parsed.error ?? "";
}

/** Header names in the case a sender or proxy might use. */
export function withHeaderCase(
  headers: Record<string, string>,
  style: "lower" | "upper" | "title",
): Record<string, string> {
  const rename = (name: string) =>
    style === "lower"
      ? name.toLowerCase()
      : style === "upper"
        ? name.toUpperCase()
        : name
            .replace(/(^|-)([a-z])/g, (_m, dash: string, char: string) => dash + char.toUpperCase())
            .replace("Commercelayer", "CommerceLayer");
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [rename(name), value]));
}
