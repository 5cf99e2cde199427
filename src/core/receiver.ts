// The receiving pipeline: a signature, a topic and the body's bytes in, a verified and routed delivery, a result out
// (src/core/answer.ts turns it into HTTP; queue workers read it as it is). Request shapes (src/shapes/) only convert
// to and from it, through src/core/request.ts, which reads the method and the headers.
//
// Order matters: the body limit is checked before hashing, the signature before parsing, and the topic header (not
// covered by the signature) against the signed body. Handlers still running at the budget (default 4 s of Commerce
// Layer's 5) get one `at_risk` line at that moment; they are neither aborted nor answered early (either would lose or
// duplicate work: see handlerBudgetMs), and the final line says `slow: true`.
import { statusOf } from "./answer.ts";
import type { DeliveryClaimStore } from "./claims.ts";
import { handlerBudgetMsFromEnv, MAX_BODY_ENV, maxBodyBytesFromEnv, SECRET_ENV, secretsFromEnv } from "./env.ts";
import { createWebhookEvent, type WebhookEvent } from "./event.ts";
import { type DeliveryLogger, describeError, logDeliveryAsJson } from "./log.ts";
import type { WebhookPayload } from "./payload.ts";
import type { DeliveryResult, RejectedReason } from "./result.ts";
import { createTopicRouter, runHandlers, type WebhookHandlers } from "./router.ts";
import type { ReceiverRuntime } from "./runtime.ts";
import { isTopicShaped, resourceOfTopic } from "./topic.ts";

/** A delivery as it reached a receiver, not yet trusted: what the request (or the queue message) said. */
export interface IncomingDelivery {
  /** The `X-CommerceLayer-Signature` value; undefined when missing, or sent more than once. */
  readonly signature: string | undefined;
  /** How many signature headers were sent, when not one (a duplicated header is refused as such). */
  readonly signatureCount?: number;
  /** The `X-CommerceLayer-Topic` value; undefined when missing or ambiguous. */
  readonly topic: string | undefined;
  /**
   * The body exactly as received: bytes, or the text a platform already decoded them to (Lambda and Netlify v1 hand
   * non-base64 bodies over as a string). Text is hashed as its UTF-8 encoding, which is the bytes that were sent;
   * taking it as it is saves encoding it to bytes and decoding it back before JSON.parse. A shape that stops reading
   * past the limit passes what it read (limit + 1 bytes).
   */
  readonly body: Uint8Array | string;
  /** The URL the request was sent to, where the shape knows it (a same-origin hand-off needs it). */
  readonly url?: string | undefined;
  /** Secrets resolved for this request (the edge form reads them from its context); else the receiver's own. */
  readonly secrets?: readonly string[] | undefined;
}

export interface ReceiverOptions {
  /** Shared secrets; default: `COMMERCELAYER_WEBHOOK_SECRET` (comma-separated), read at every delivery. */
  readonly secrets?: readonly string[] | (() => readonly string[]);
  /** Largest body accepted, in bytes; default: `COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES` or 5 MiB. */
  readonly maxBodyBytes?: number;
  /** Where the one line per delivery goes; default: JSON on stdout. */
  readonly log?: DeliveryLogger;
  /** A label for the log lines (`vercel`, `aws-lambda`, `netlify`). */
  readonly platform?: string;
  /**
   * Milliseconds, from the start of the delivery, after which handlers still running are logged once as `at_risk` of
   * Commerce Layer's answer timeout (src/core/commerce-layer.ts); 0 turns the warning off. Default:
   * `COMMERCELAYER_WEBHOOK_BUDGET_MS` or 4000.
   * The handlers are left to finish and the answer still reflects them: answering 200 early would lose the delivery if
   * a handler then failed (no retry), and answering 500 early or aborting would make Commerce Layer retry work that is
   * still running. A delivery that misses the timeout is retried by Commerce Layer, so handlers must be safe to run twice.
   */
  readonly handlerBudgetMs?: number;
  /** Acknowledge duplicates without running handlers (off by default). */
  readonly deduplicate?: DeduplicationOptions;
}

/** Three days: longer than Commerce Layer's retries of a failed delivery take, short enough to keep stores small. */
export const DEFAULT_CLAIM_TTL_SECONDS = 3 * 24 * 3600;

export interface DeduplicationOptions {
  /** Where claims are kept: in memory (one warm instance only), DynamoDB, Redis, Netlify Blobs... */
  readonly store: DeliveryClaimStore;
  /** How long a claim holds, in seconds; default three days. */
  readonly ttlSeconds?: number;
  /**
   * A delivery's key. Default: the topic and the verified signature, which is a hash of the exact body, so only a
   * byte-identical re-delivery counts as a duplicate. `(event) => \`${event.topic}:${event.id}:${updated_at}\`` also
   * catches an event re-fired with a body that differs in some other byte, at the risk of merging two real changes
   * made within the same second.
   */
  readonly key?: (event: WebhookEvent) => string;
}

export interface WebhookReceiver {
  /**
   * Verifies and routes a delivery: from a request (src/core/request.ts reads method and headers), or taken back from
   * a queue, whose signature is verified again like any other.
   */
  (delivery: IncomingDelivery): Promise<DeliveryResult>;
  /** Logs an outcome decided before the pipeline could run (not POST, a non-HTTP event, a lost body), and returns it. */
  report(outcome: DeliveryResult, ms?: number): DeliveryResult;
  /** The body limit in force now, for shapes that can stop reading a stream early. */
  maxBodyBytes(): number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A parsed document shaped like a Commerce Layer delivery, or which check it failed (the log's hint). */
export function parsePayload(text: string | undefined): WebhookPayload | string {
  if (text === undefined) return "the body is not valid UTF-8";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "the body is not JSON";
  }
  if (!isObject(parsed) || !isObject(parsed.data)) return "no data object";
  const { id, type } = parsed.data;
  if (typeof id !== "string" || id === "" || typeof type !== "string") return "data.id or data.type missing";
  if (parsed.included !== undefined && !Array.isArray(parsed.included)) return "included is not an array";
  return parsed as unknown as WebhookPayload;
}

/** Whether the body is over the limit, in UTF-8 bytes; text is only measured when its length leaves any doubt. */
function exceeds(body: Uint8Array | string, limit: number, runtime: ReceiverRuntime): boolean {
  if (typeof body !== "string") return body.byteLength > limit;
  return body.length * 3 > limit && runtime.byteLength(body) > limit;
}

/**
 * The receiver on a given runtime's crypto and UTF-8 (runtime.ts): `createWebhookReceiver` (node-receiver.ts) on
 * Node's, the edge factory on Web Crypto's.
 */
export function createReceiver(
  runtime: ReceiverRuntime,
  handlers: WebhookHandlers,
  options: ReceiverOptions = {},
): WebhookReceiver {
  const router = createTopicRouter(handlers);
  const log = options.log ?? logDeliveryAsJson;
  const label = options.platform === undefined ? {} : { platform: options.platform };
  const configuredSecrets = options.secrets;
  const readSecrets = (): readonly string[] =>
    typeof configuredSecrets === "function" ? configuredSecrets() : (configuredSecrets ?? secretsFromEnv());
  const maxBodyBytes = (): number => options.maxBodyBytes ?? maxBodyBytesFromEnv();
  const handlerBudgetMs = (): number => options.handlerBudgetMs ?? handlerBudgetMsFromEnv();

  function report(outcome: DeliveryResult, ms = 0): DeliveryResult {
    log({ ...label, ...outcome, status: statusOf(outcome), ms });
    return outcome;
  }

  async function receive(delivery: IncomingDelivery): Promise<DeliveryResult> {
    const started = performance.now();
    const { signature, topic, body, url } = delivery;
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    const finish = (result: DeliveryResult) => report(result, elapsed());
    // The hint says what the reason name cannot (which check failed, what arrived), never a secret or a payload value.
    const reject = (reason: RejectedReason, hint?: string, topic?: string, id?: string) =>
      finish({ outcome: "rejected", reason, topic, id, hint });

    const secrets = delivery.secrets ?? readSecrets();
    if (secrets.length === 0) {
      return finish({ outcome: "failed", reason: "no_secret_configured", hint: `set ${SECRET_ENV}` });
    }
    // Checked before hashing: an attacker must not make us hash (or hold) more than the limit.
    const limit = maxBodyBytes();
    if (exceeds(body, limit, runtime)) return reject("body_too_large", `over ${limit} bytes: see ${MAX_BODY_ENV}`);
    if (signature === undefined || signature === "") {
      return reject((delivery.signatureCount ?? 0) > 1 ? "duplicate_signature_header" : "missing_signature");
    }
    // Node's verification is synchronous: awaited only where it is not, so the Node path keeps its speed.
    const verified = runtime.verifySignature(body, signature, secrets);
    if (!(typeof verified === "boolean" ? verified : await verified)) {
      return reject(
        "invalid_signature",
        `${runtime.byteLength(body)} bytes received: check the secret, or whether something changed the body`,
      );
    }

    // Authentic from here on. The topic header is not covered by the signature, so it is checked against the body.
    if (topic === undefined || topic === "") return reject("missing_topic");
    if (!isTopicShaped(topic)) return reject("malformed_topic");
    const payload = parsePayload(runtime.decodeUtf8(body));
    if (typeof payload === "string") return reject("invalid_payload", payload, topic);
    const { id, type } = payload.data;
    const resource = resourceOfTopic(topic);
    if (type !== resource) return reject("topic_type_mismatch", `the topic needs data.type ${resource}`, topic, id);

    const matched = router.match(topic);
    if (matched.length === 0) return finish({ outcome: "ignored", topic, id });

    const event = createWebhookEvent(topic, payload, { topic, body, signature, url });
    // Duplicate suppression: the first claim of a delivery's key runs the handlers; a duplicate is acknowledged
    // without running them; a store that cannot answer fails the delivery (Commerce Layer retries) and nothing runs.
    const claims = options.deduplicate;
    const key = claims && (claims.key?.(event) ?? `${topic}:${signature}`);
    if (claims && key) {
      let claimed: boolean;
      try {
        claimed = await claims.store.claim(key, claims.ttlSeconds ?? DEFAULT_CLAIM_TTL_SECONDS);
      } catch (error) {
        return finish({
          outcome: "failed",
          reason: "claim_store_unavailable",
          topic,
          id,
          errors: [describeError(error)],
        });
      }
      if (!claimed) return finish({ outcome: "duplicate", topic, id });
    }

    // Handlers still running at the budget are logged once, then left to finish (see ReceiverOptions.handlerBudgetMs).
    // A budget already spent before the handlers started fires at once (setTimeout treats a negative delay as 1 ms);
    // runHandlers never rejects, so the timer is always cleared and never keeps a process alive.
    const budget = handlerBudgetMs();
    const atRisk =
      budget > 0
        ? setTimeout(
            () => log({ ...label, topic, id, outcome: "at_risk", reason: "handler_budget_exceeded", ms: elapsed() }),
            budget - (performance.now() - started),
          )
        : undefined;
    const failures = await runHandlers(matched, event);
    clearTimeout(atRisk);
    // A failed delivery gives its claim back, so that Commerce Layer's retry runs the handlers again.
    if (failures.length > 0 && claims && key) await claims.store.release(key).catch((error) => failures.push(error));
    // Also true when synchronous handlers blocked the event loop past the budget, so the timer never got to fire.
    const slow = budget > 0 && elapsed() >= budget ? { slow: true } : {};
    if (failures.length === 0) return finish({ outcome: "handled", topic, id, ...slow });
    return finish({
      outcome: "failed",
      reason: "handler_failed",
      topic,
      id,
      errors: failures.map(describeError),
      ...slow,
    });
  }

  return Object.assign(receive, { report, maxBodyBytes });
}
