// Hostile requests for the battery: generated from a seed (the same seed gives the same cases on every run), each one a
// genuine Commerce Layer delivery or a mutation of one. A case is platform-neutral; test/bundles/hostile/entry-points.ts turns it
// into each platform's shape and says which bytes and signature values that platform hands the receiver.

import { buildSampleDelivery, randomSource } from "../../../infra/samples/build.ts";
import { CURRENT_TOPICS, SEED_TOPICS } from "../../../shared/generated/topics.ts";
import { signPayload } from "../../../shared/node/signature.ts";

export const BATTERY_SECRET = "hostile-battery-secret-8c41e0d2b7";
export const OTHER_SECRET = "an-attackers-guess-at-the-secret";

export const SIGNATURE = "x-commercelayer-signature";
export const TOPIC = "x-commercelayer-topic";

/** Every status the receiving contract allows (README, shared/core/answer.ts). */
export const CONTRACT_STATUSES: ReadonlySet<number> = new Set([200, 400, 401, 405, 413, 500]);

/** Deterministic pseudo-random numbers (mulberry32), the same generator the sample deliveries use. */
export const mulberry32 = randomSource;

class Random {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }
  text(length: number, alphabet: string): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
}

export type HeaderPair = readonly [name: string, value: string];

export type CaseKind =
  | "genuine"
  | "genuine, no content-type"
  | "random body"
  | "random JSON body"
  | "truncated body"
  | "one bit off"
  | "bytes appended"
  | "signature of wrong length"
  | "hex signature"
  | "signature of another body"
  | "signature with another secret"
  | "signature case changed"
  | "replay under another resource's topic"
  | "replay under a sibling topic"
  | "duplicate signature headers"
  | "empty signature header"
  | "missing signature"
  | "invalid UTF-8, signed"
  | "invalid UTF-8, forged"
  | "deeply nested JSON, signed"
  | "deeply nested JSON, forged"
  | "huge number of keys, signed"
  | "JSON that is not a delivery, signed"
  | "oversize body"
  | "wrong method"
  | "topic missing"
  | "topic empty or malformed"
  | "topic header twice"
  | "base64 flag lies"
  | "no secret configured";

export interface HostileCase {
  readonly index: number;
  readonly kind: CaseKind;
  readonly method: string;
  /** In order, names in whatever case the sender used, repeated names allowed. */
  readonly headers: readonly HeaderPair[];
  /** The bytes the sender put on the wire. */
  readonly body: Buffer;
  /** Lambda and legacy Netlify: whether the event carries the body base64-encoded. */
  readonly base64: boolean;
  /** Lambda and legacy Netlify: `isBase64Encoded` says the opposite of the truth. */
  readonly flagLies: boolean;
  /** Web and Node entry points: send the body as a stream of chunks with no Content-Length. */
  readonly stream: boolean;
  /** The receiver has no secret for this case (answers 500). */
  readonly unconfigured: boolean;
  /** What an authentic (correctly signed) version of this request must get: 200 or 400. */
  readonly whenAuthentic: 200 | 400;
  /** The topic the genuine body was delivered for. */
  readonly deliveryTopic: string;
  /** Strings that must never appear in a response or a receiver log line: payload values planted in the body. */
  readonly planted: readonly string[];
}

interface PoolDelivery {
  readonly topic: string;
  readonly body: Buffer;
  readonly signature: string;
  readonly planted: readonly string[];
}

const ALL_TOPICS = [...new Set<string>([...SEED_TOPICS, ...CURRENT_TOPICS, "widgets.teleport", "orders.quantum_leap"])];
const resourceOf = (topic: string) => topic.slice(0, topic.indexOf("."));
const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * Genuine deliveries to mutate: every original topic and a sample of today's, with and without included resources,
 * each with a planted value (`CNRY-…`) and the customer e-mails the samples already hold, none of which may leak.
 */
function deliveryPool(random: Random, size: number): PoolDelivery[] {
  const pool: PoolDelivery[] = [];
  for (let i = 0; i < size; i++) {
    const topic = i < SEED_TOPICS.length ? (SEED_TOPICS[i] as string) : random.pick(ALL_TOPICS);
    const sample = buildSampleDelivery(topic, { seed: 1 + random.int(0, 1_000_000), includes: random.chance(0.5) });
    const canary = `CNRY-${random.text(12, "0123456789abcdef")}`;
    const text = sample.body.replace('{"data":{', `{"data":{"internal_note":"${canary}",`);
    const emails = text.match(/[\w.+-]{3,}@[\w-]+\.[\w.]+/g) ?? [];
    const body = Buffer.from(text, "utf8");
    pool.push({ topic, body, signature: signPayload(body, BATTERY_SECRET), planted: [canary, ...new Set(emails)] });
  }
  return pool;
}

function renameCase(name: string, random: Random): string {
  switch (random.int(0, 3)) {
    case 0:
      return name.toLowerCase();
    case 1:
      return name.toUpperCase();
    case 2:
      return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
    default:
      return [...name].map((c) => (random.chance(0.5) ? c.toUpperCase() : c)).join("");
  }
}

function headersFor(
  random: Random,
  topic: string | undefined,
  signatures: readonly string[],
  contentType = true,
): HeaderPair[] {
  const headers: HeaderPair[] = [];
  if (contentType) headers.push([renameCase("content-type", random), "application/json"]);
  headers.push([renameCase("user-agent", random), "CommerceLayer Module"]);
  if (topic !== undefined) headers.push([renameCase(TOPIC, random), topic]);
  for (const signature of signatures) headers.push([renameCase(SIGNATURE, random), signature]);
  return headers;
}

function nested(depth: number, inner: string): string {
  const arrays = depth % 2 === 0;
  return arrays
    ? `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}${inner}${"}".repeat(depth)}`;
}

const NOT_A_DELIVERY = [
  "null",
  "[]",
  '"x"',
  "0",
  "true",
  "{}",
  '{"data":null}',
  '{"data":[]}',
  '{"data":"orders"}',
  '{"data":{"id":1,"type":"orders"}}',
  '{"data":{"id":"","type":"orders"}}',
  '{"data":{"id":"abcDEFghij"}}',
  '{"data":{"id":"abcDEFghij","type":"orders"},"included":{}}',
  '{"data":{"id":"abcDEFghij","type":"orders"},"included":"x"}',
  '[{"data":{"id":"abcDEFghij","type":"orders"}}]',
  "",
  " ",
  '{"data":{"id":"abcDEFghij","type":"orders"}',
  "\ufeff",
];

const MALFORMED_TOPICS = [
  "",
  "   ",
  "Orders.Place",
  "orders",
  "orders.",
  ".place",
  "orders.place.extra",
  "orders place",
  "orders.pl@ce",
  "orders/place",
  "ORDERS.PLACE",
  "1orders.place",
  "*",
  "orders.*",
  "o".repeat(5000),
  "orders.place;customers.create",
];

const WRONG_METHODS = ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PROPFIND"];

const KIND_WEIGHTS: readonly (readonly [CaseKind, number])[] = [
  ["genuine", 10],
  ["genuine, no content-type", 2],
  ["random body", 6],
  ["random JSON body", 4],
  ["truncated body", 6],
  ["one bit off", 8],
  ["bytes appended", 3],
  ["signature of wrong length", 5],
  ["hex signature", 4],
  ["signature of another body", 5],
  ["signature with another secret", 4],
  ["signature case changed", 2],
  ["replay under another resource's topic", 6],
  ["replay under a sibling topic", 4],
  ["duplicate signature headers", 5],
  ["empty signature header", 3],
  ["missing signature", 2],
  ["invalid UTF-8, signed", 3],
  ["invalid UTF-8, forged", 2],
  ["deeply nested JSON, signed", 3],
  ["deeply nested JSON, forged", 1],
  ["huge number of keys, signed", 2],
  ["JSON that is not a delivery, signed", 5],
  ["oversize body", 3],
  ["wrong method", 5],
  ["topic missing", 2],
  ["topic empty or malformed", 4],
  ["topic header twice", 1],
  ["base64 flag lies", 4],
  ["no secret configured", 1],
];
const TOTAL_WEIGHT = KIND_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);

function pickKind(random: Random): CaseKind {
  let roll = random.next() * TOTAL_WEIGHT;
  for (const [kind, weight] of KIND_WEIGHTS) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return "genuine";
}

export interface GeneratorOptions {
  readonly seed: number;
  readonly count: number;
  /** The receiver's body limit: oversize bodies are built just past it, everything else stays under it. */
  readonly maxBodyBytes: number;
  /** Whether the entry point has a base64 flag that can lie (Lambda, legacy Netlify). */
  readonly base64Flag: boolean;
}

/** `count` cases from `seed`: the same options always give the same cases. */
export function generateCases(options: GeneratorOptions): HostileCase[] {
  const random = new Random(mulberry32(options.seed));
  const pool = deliveryPool(random, 48);
  const cases: HostileCase[] = [];
  for (let index = 0; index < options.count; index++) cases.push(generateCase(random, pool, index, options));
  return cases;
}

function generateCase(random: Random, pool: readonly PoolDelivery[], index: number, options: GeneratorOptions) {
  const delivery = random.pick(pool);
  const other = random.pick(pool.filter((candidate) => candidate.body !== delivery.body));
  let kind = pickKind(random);
  if (kind === "base64 flag lies" && !options.base64Flag) kind = "genuine";
  const siblings = ALL_TOPICS.filter(
    (topic) => resourceOf(topic) === resourceOf(delivery.topic) && topic !== delivery.topic,
  );
  if (kind === "replay under a sibling topic" && siblings.length === 0) kind = "replay under another resource's topic";

  let method = "POST";
  let body = delivery.body;
  let topic: string | undefined = delivery.topic;
  let signatures: string[] = [delivery.signature];
  let contentType = true;
  let whenAuthentic: 200 | 400 = 200;
  let flagLies = false;
  const sign = (bytes: Buffer) => signPayload(bytes, BATTERY_SECRET);
  const randomSignature = () => `${random.text(43, BASE64_ALPHABET)}=`;

  switch (kind) {
    case "genuine":
    case "no secret configured":
      break;
    case "genuine, no content-type":
      contentType = false;
      break;
    case "random body":
      body = random.bytes(random.int(0, 4096));
      signatures = random.chance(0.8) ? [randomSignature()] : [];
      break;
    case "random JSON body": {
      const keys = random.int(0, 20);
      const fields = Array.from({ length: keys }, () => `"${random.text(6, "abcdefghij_")}":${random.int(0, 1e6)}`);
      body = Buffer.from(`{"data":{"id":"${random.text(10, "abcXYZ")}","type":"orders",${fields.join(",")}}}`);
      signatures = [randomSignature()];
      break;
    }
    case "truncated body":
      body = delivery.body.subarray(0, random.int(0, delivery.body.length - 1));
      break;
    case "one bit off": {
      body = Buffer.from(delivery.body);
      const at = random.int(0, body.length - 1);
      body[at] = (body[at] as number) ^ (1 << random.int(0, 7));
      break;
    }
    case "bytes appended":
      body = Buffer.concat([delivery.body, Buffer.from(random.pick([" ", "\n", "\r\n", "\0", "}", "x".repeat(50)]))]);
      break;
    case "signature of wrong length": {
      const signature = delivery.signature;
      signatures = [
        random.pick([
          signature.slice(0, random.int(0, signature.length - 1)),
          signature.replace(/=+$/, ""),
          `${signature}=`,
          `${signature}${random.text(random.int(1, 40), BASE64_ALPHABET)}`,
          `${signature}${signature}`,
          "A".repeat(random.int(45, 300)),
        ]),
      ];
      break;
    }
    case "hex signature":
      signatures = [Buffer.from(delivery.signature, "base64").toString("hex")];
      break;
    case "signature of another body":
      signatures = [other.signature];
      break;
    case "signature with another secret":
      signatures = [signPayload(delivery.body, OTHER_SECRET)];
      break;
    case "signature case changed": {
      const letters = [...delivery.signature].flatMap((c, i) => (/[a-zA-Z]/.test(c) ? [i] : []));
      const at = random.pick(letters);
      const c = delivery.signature[at] as string;
      const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
      signatures = [delivery.signature.slice(0, at) + flipped + delivery.signature.slice(at + 1)];
      break;
    }
    case "replay under another resource's topic":
      topic = random.pick(ALL_TOPICS.filter((candidate) => resourceOf(candidate) !== resourceOf(delivery.topic)));
      whenAuthentic = 400;
      break;
    case "replay under a sibling topic":
      topic = random.pick(siblings);
      break;
    case "duplicate signature headers": {
      const good = delivery.signature;
      signatures = random.pick([
        [good, good],
        [good, randomSignature()],
        [randomSignature(), good],
        [`${good},${good}`],
        [`${good}, ${randomSignature()}`],
        [good, ""],
        ["", good],
        [good, good, good],
      ]);
      break;
    }
    case "empty signature header":
      signatures = [random.pick(["", " ", "  "])];
      break;
    case "missing signature":
      signatures = [];
      break;
    case "invalid UTF-8, signed":
    case "invalid UTF-8, forged": {
      const bad = random.pick([[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80]]);
      const text = delivery.body.toString("utf8");
      const at = text.indexOf('"', text.indexOf("internal_note") + 15) + 1;
      body = Buffer.concat([
        Buffer.from(text.slice(0, at), "utf8"),
        Buffer.from(bad),
        Buffer.from(text.slice(at), "utf8"),
      ]);
      signatures = kind === "invalid UTF-8, signed" ? [sign(body)] : [delivery.signature];
      whenAuthentic = 400;
      break;
    }
    case "deeply nested JSON, signed":
    case "deeply nested JSON, forged": {
      const depth = random.int(100, Math.min(20_000, Math.floor(options.maxBodyBytes / 8)));
      const topLevel = random.chance(0.3);
      const id = random.text(10, "abcdefghijKLMNOP");
      const text = topLevel
        ? nested(depth, `{"data":{"id":"${id}","type":"orders"}}`)
        : `{"data":{"id":"${id}","type":"orders","attributes":{"deep":${nested(depth, "1")}}}}`;
      body = Buffer.from(text);
      topic = "orders.update";
      signatures = kind === "deeply nested JSON, signed" ? [sign(body)] : [delivery.signature];
      whenAuthentic = topLevel ? 400 : 200;
      break;
    }
    case "huge number of keys, signed": {
      const keys = random.int(1000, Math.min(10_000, Math.floor(options.maxBodyBytes / 14)));
      const fields = Array.from({ length: keys }, (_, i) => `"k${i}":${i}`);
      body = Buffer.from(`{"data":{"id":"${random.text(10, "qrstuvWXYZ")}","type":"orders","attributes":{${fields}}}}`);
      topic = "orders.update";
      signatures = [sign(body)];
      break;
    }
    case "JSON that is not a delivery, signed":
      body = Buffer.from(random.pick(NOT_A_DELIVERY), "utf8");
      signatures = [sign(body)];
      whenAuthentic = 400;
      break;
    case "oversize body": {
      const size = options.maxBodyBytes + random.int(1, 2048);
      const filler = Buffer.alloc(size - delivery.body.length, 0x20);
      body = Buffer.concat([delivery.body.subarray(0, -1), filler, delivery.body.subarray(-1)]);
      signatures = random.chance(0.5) ? [sign(body)] : [randomSignature()];
      break;
    }
    case "wrong method":
      method = random.pick(WRONG_METHODS);
      if (method === "GET" || method === "HEAD") body = Buffer.alloc(0);
      break;
    case "topic missing":
      topic = undefined;
      whenAuthentic = 400;
      break;
    case "topic empty or malformed":
      topic = random.pick(MALFORMED_TOPICS);
      whenAuthentic = 400;
      break;
    case "topic header twice":
      whenAuthentic = 400;
      break;
    case "base64 flag lies":
      flagLies = true;
      break;
  }

  const headers = headersFor(random, topic, signatures, contentType);
  if (kind === "topic header twice")
    headers.push([renameCase(TOPIC, random), random.pick([delivery.topic, "orders.x"])]);
  return {
    index,
    kind,
    method,
    headers,
    body,
    base64: random.chance(0.5),
    flagLies,
    stream: random.chance(0.3),
    unconfigured: kind === "no secret configured",
    whenAuthentic,
    deliveryTopic: delivery.topic,
    planted: delivery.planted,
  } satisfies HostileCase;
}

/** The values of a header as the receiver reads them: every occurrence, comma-split, trimmed. */
export function headerValues(headers: readonly HeaderPair[], name: string): string[] {
  return headers
    .filter(([candidate]) => candidate.toLowerCase() === name)
    .flatMap(([, value]) => value.split(","))
    .map((value) => value.trim());
}

/**
 * The oracle: is this pair of received bytes and received signature values one that signPayload produced with the
 * configured secret? Anything else is forged, and must never reach a handler.
 */
export function isAuthentic(received: Buffer, signatureValues: readonly string[]): boolean {
  return signatureValues.length === 1 && signatureValues[0] === signPayload(received, BATTERY_SECRET);
}

/**
 * Which side of the pipeline an entry point serves (shared/core/pipeline.ts): webhooks, or an external resource. The
 * pipeline's rules (method, configuration, size, signature, document) are the same; only the webhook reads the topic
 * header, so on the external side a case that differs from a genuine one by its topic alone is genuine.
 */
export type PipelineSide = "webhook" | "external";

/** The cases whose only departure from a genuine delivery is the topic header, which the external side never reads. */
const TOPIC_ONLY: ReadonlySet<CaseKind> = new Set<CaseKind>([
  "replay under another resource's topic",
  "replay under a sibling topic",
  "topic missing",
  "topic empty or malformed",
  "topic header twice",
]);

/** The status the contract prescribes, in the order of the pipeline (method, configuration, size, signature). */
export function expectedStatus(
  hostile: HostileCase,
  delivered: { method: string; received: Buffer; signatureValues: readonly string[]; topicValues: readonly string[] },
  maxBodyBytes: number,
  side: PipelineSide = "webhook",
): number {
  if (delivered.method.toUpperCase() !== "POST") return 405;
  if (hostile.unconfigured) return 500;
  if (delivered.received.length > maxBodyBytes) return 413;
  if (!isAuthentic(delivered.received, delivered.signatureValues)) return 401;
  if (side === "external") return TOPIC_ONLY.has(hostile.kind) ? 200 : hostile.whenAuthentic;
  // A platform that keeps only the last of two topic headers (ALB without multi-value headers) delivers one.
  if (hostile.kind === "topic header twice" && delivered.topicValues.length === 1) {
    const [topic = ""] = delivered.topicValues;
    return resourceOf(topic) === resourceOf(hostile.deliveryTopic) ? 200 : 400;
  }
  return hostile.whenAuthentic;
}
