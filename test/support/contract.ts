// The receiving contract as data: every row of the status table, as a request any platform entry point can be given.
// Each platform suite turns these into its own event shape and checks the answer, so the table is written once. The
// pipeline's rows are shared with the external resources' table (pipeline-cases.ts); the topic's are the webhook's.
import { SECRET_ENV } from "../../shared/core/env.ts";
import { formatTopicSecrets, TOPIC_SECRETS_ENV } from "../../shared/core/topic-secrets.ts";
import { signedBody, signedDelivery, TEST_SECRET } from "./deliveries.ts";
import { type PipelineSide, pipelineCases, SUCCESS } from "./pipeline-cases.ts";

export interface ContractRequest {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface ContractCase {
  readonly name: string;
  readonly request: ContractRequest;
  /** Environment for this case; COMMERCELAYER_WEBHOOK_SECRET defaults to TEST_SECRET. */
  readonly env?: Record<string, string> | undefined;
  readonly status: number;
  /** `outcome` (200) or `error` (otherwise) in the JSON response body. */
  readonly answer: string;
}

const post = (delivery: { headers: Record<string, string>; body: Buffer }): ContractRequest => ({
  method: "POST",
  headers: delivery.headers,
  body: delivery.body,
});

/** Two webhooks' secrets, bound to two topics of one resource (as `npm run commercelayer -- apply` writes them). */
const PLACE_SECRET = "cl-test-place-secret-0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c=";
const CANCEL_SECRET = "cl-test-cancel-secret-1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d=";
const BOUND_ONLY = {
  [SECRET_ENV]: "",
  [TOPIC_SECRETS_ENV]: formatTopicSecrets([
    { topic: "orders.place", secret: PLACE_SECRET },
    { topic: "orders.cancel", secret: CANCEL_SECRET },
  ]),
};

/** The rows of secrets bound to topics: each delivery verified only with its topic's secret. */
function topicSecretCases(): ContractCase[] {
  const place = signedDelivery("orders.place", { secret: PLACE_SECRET });
  const swapped = { ...place.headers, "x-commercelayer-topic": "orders.cancel" };
  return [
    { name: "secret bound to its topic", request: post(place), env: BOUND_ONLY, status: 200, answer: "handled" },
    {
      name: "topic swapped for another topic's of the same resource",
      request: { ...post(place), headers: swapped },
      env: BOUND_ONLY,
      status: 401,
      answer: "signed_for_another_topic",
    },
    {
      name: "topic with no secret bound",
      request: post(place),
      env: {
        [SECRET_ENV]: "",
        [TOPIC_SECRETS_ENV]: formatTopicSecrets([{ topic: "orders.cancel", secret: CANCEL_SECRET }]),
      },
      status: 401,
      answer: "unbound_topic",
    },
    {
      name: "topic with no secret bound, verified by the plain list",
      request: post(signedDelivery("orders.place")),
      env: { [TOPIC_SECRETS_ENV]: formatTopicSecrets([{ topic: "orders.cancel", secret: CANCEL_SECRET }]) },
      status: 200,
      answer: "handled",
    },
    {
      name: "bound secret of another resource's topic",
      request: post(signedDelivery("orders.place", { secret: CANCEL_SECRET })),
      env: { [SECRET_ENV]: "", [TOPIC_SECRETS_ENV]: `orders.place=${PLACE_SECRET},customers.create=${CANCEL_SECRET}` },
      status: 401,
      answer: "invalid_signature",
    },
  ];
}

/** The webhook side of the pipeline's rows: an orders.place delivery, and its secret variable. */
const WEBHOOK_SIDE: PipelineSide = {
  secretEnv: SECRET_ENV,
  secret: TEST_SECRET,
  call: (options = {}) =>
    options.body === undefined
      ? signedDelivery("orders.place", { secret: options.secret ?? TEST_SECRET })
      : signedBody("orders.place", options.body, options.secret),
};

export function contractCases(): ContractCase[] {
  const place = signedDelivery("orders.place");
  const customer = signedDelivery("customers.create");
  // An orders.place whose attributes are null makes the example handler throw: a real handler failure.
  const broken = signedBody(
    "orders.place",
    '{"data":{"id":"xYzAbCdEfG","type":"orders","attributes":null,"relationships":null,"meta":{"mode":"test"}}}',
  );
  const pipeline = pipelineCases(WEBHOOK_SIDE).map(
    (row): ContractCase => ({
      ...row,
      name: row.name === "genuine" ? "handled topic" : row.name,
      answer: row.answer === SUCCESS ? "handled" : row.answer,
    }),
  );
  return [
    ...pipeline,
    ...topicSecretCases(),
    { name: "handled topic, non-ASCII and emoji", request: post(customer), status: 200, answer: "handled" },
    {
      name: "topic without a handler",
      request: post(signedDelivery("parcels.create")),
      status: 200,
      answer: "ignored",
    },
    { name: "unknown future topic", request: post(signedDelivery("widgets.teleport")), status: 200, answer: "ignored" },
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
