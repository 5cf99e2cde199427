// The receiving pipeline: bytes and headers in, a verified and routed delivery, the HTTP answer out.
// Platform adapters only convert their request into a WebhookRequest and the WebhookResponse back.
//
// Status contract (Commerce Layer counts any non-2xx as a failure, retries it, and switches the webhook off after 30
// failures in a row, so only a real fault answers non-2xx):
//   200 handled, or acknowledged with no handler (unknown topics included)   405 not POST
//   413 body over the limit (checked before hashing)                         401 missing or wrong signature
//   400 signed but not a JSON:API document, topic missing/malformed, or topic and data.type disagree
//   500 no secret configured, or a handler failed (Commerce Layer retries)
//
// Commerce Layer waits 5 s. Handlers still running at the budget (default 4 s) get one `at_risk` line at that moment;
// they are neither aborted nor answered early (either would lose or duplicate work: see handlerBudgetMs), and the final
// line says `slow: true`.
import { isUtf8 } from "node:buffer";
import type { DeliveryClaimStore } from "./delivery-claims.ts";
import { type DeliveryLogEntry, type DeliveryLogger, describeError, logDeliveryAsJson } from "./delivery-log.ts";
import { handlerBudgetMsFromEnv, maxBodyBytesFromEnv, SECRET_ENV, secretsFromEnv } from "./env.ts";
import { createWebhookEvent, type WebhookEvent } from "./event.ts";
import { type IncomingHeaders, readHeaderValues, readSingleHeader } from "./headers.ts";
import type { WebhookPayload } from "./payload.ts";
import { createTopicRouter, runHandlers, type WebhookHandlers } from "./router.ts";
import { verifySignature } from "./signature.ts";
import { isTopicShaped, resourceOfTopic } from "./topic.ts";

export const SIGNATURE_HEADER = "x-commercelayer-signature";
export const TOPIC_HEADER = "x-commercelayer-topic";

export interface WebhookRequest {
  readonly method: string;
  readonly headers: IncomingHeaders;
  /**
   * The body exactly as received: bytes, or the text a platform already decoded them to (Lambda and Netlify v1 hand
   * non-base64 bodies over as a string). Text is hashed as its UTF-8 encoding, which is the bytes that were sent;
   * taking it as it is saves encoding it to bytes and decoding it back before JSON.parse. An adapter that stops reading
   * past the limit passes what it read (limit + 1 bytes).
   */
  readonly body: Uint8Array | string;
}

export interface WebhookResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
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
   * Commerce Layer's 5-second timeout; 0 turns the warning off. Default: `COMMERCELAYER_WEBHOOK_BUDGET_MS` or 4000.
   * The handlers are left to finish and the answer still reflects them: answering 200 early would lose the delivery if
   * a handler then failed (no retry), and answering 500 early or aborting would make Commerce Layer retry work that is
   * still running. A delivery that misses the 5 s is retried by Commerce Layer, so handlers must be safe to run twice.
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
  (request: WebhookRequest): Promise<WebhookResponse>;
  /** The body limit in force now, for adapters that can stop reading a stream early. */
  maxBodyBytes(): number;
}

export const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" } as const;
/** The body as text, or undefined when it is not valid UTF-8 (isUtf8 validates in one fast pass, then Buffer decodes). */
function decodeUtf8(body: Uint8Array | string): string | undefined {
  if (typeof body === "string") return body;
  if (!isUtf8(body)) return undefined;
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
}

/** Whether the body is over the limit, in UTF-8 bytes; text is only measured when its length leaves any doubt. */
function exceeds(body: Uint8Array | string, limit: number): boolean {
  if (typeof body !== "string") return body.byteLength > limit;
  return body.length * 3 > limit && Buffer.byteLength(body, "utf8") > limit;
}

function answer(status: number, body: Record<string, unknown>, extraHeaders?: Record<string, string>): WebhookResponse {
  return { status, headers: { ...JSON_HEADERS, ...extraHeaders }, body: JSON.stringify(body) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A parsed document shaped like a Commerce Layer delivery, or undefined. */
function parsePayload(body: Uint8Array | string): WebhookPayload | undefined {
  let parsed: unknown;
  try {
    const text = decodeUtf8(body);
    if (text === undefined) return undefined;
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !isObject(parsed.data)) return undefined;
  const { id, type } = parsed.data;
  if (typeof id !== "string" || id === "" || typeof type !== "string") return undefined;
  if (parsed.included !== undefined && !Array.isArray(parsed.included)) return undefined;
  return parsed as unknown as WebhookPayload;
}

export function createWebhookReceiver(handlers: WebhookHandlers, options: ReceiverOptions = {}): WebhookReceiver {
  const router = createTopicRouter(handlers);
  const log = options.log ?? logDeliveryAsJson;
  const platform = options.platform;
  const configuredSecrets = options.secrets;
  const readSecrets = (): readonly string[] =>
    typeof configuredSecrets === "function" ? configuredSecrets() : (configuredSecrets ?? secretsFromEnv());
  const maxBodyBytes = (): number => options.maxBodyBytes ?? maxBodyBytesFromEnv();
  const handlerBudgetMs = (): number => options.handlerBudgetMs ?? handlerBudgetMsFromEnv();

  async function receive(request: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    const label = platform === undefined ? {} : { platform };
    const finish = (response: WebhookResponse, entry: Omit<DeliveryLogEntry, "ms" | "status" | "platform">) => {
      log({ ...label, ...entry, status: response.status, ms: elapsed() });
      return response;
    };
    const reject = (status: number, reason: string, extra?: { topic?: string; id?: string; hint?: string }) =>
      finish(status === 405 ? answer(405, { error: reason }, { allow: "POST" }) : answer(status, { error: reason }), {
        outcome: "rejected",
        reason,
        ...extra,
      });

    if (request.method.toUpperCase() !== "POST") return reject(405, "method_not_allowed");

    const secrets = readSecrets();
    if (secrets.length === 0) {
      return finish(answer(500, { error: "not_configured" }), {
        outcome: "failed",
        reason: "no_secret_configured",
        hint: `set ${SECRET_ENV}`,
      });
    }

    // Checked before hashing: an attacker must not make us hash (or hold) more than the limit.
    if (exceeds(request.body, maxBodyBytes())) return reject(413, "body_too_large");

    const signature = readSingleHeader(request.headers, SIGNATURE_HEADER);
    if (signature === undefined || signature === "") {
      const sent = readHeaderValues(request.headers, SIGNATURE_HEADER).length;
      return reject(401, sent > 1 ? "duplicate_signature_header" : "missing_signature");
    }
    if (!verifySignature(request.body, signature, secrets)) return reject(401, "invalid_signature");

    // Authentic from here on. The topic header is not covered by the signature, so it is checked against the body.
    const topic = readSingleHeader(request.headers, TOPIC_HEADER);
    if (topic === undefined || topic === "") return reject(400, "missing_topic");
    if (!isTopicShaped(topic)) return reject(400, "malformed_topic");

    const payload = parsePayload(request.body);
    if (payload === undefined) return reject(400, "invalid_payload", { topic });
    const { id, type } = payload.data;
    if (type !== resourceOfTopic(topic)) return reject(400, "topic_type_mismatch", { topic, id });

    const ok = (outcome: "handled" | "ignored" | "duplicate", extra?: { slow?: boolean }) =>
      finish(answer(200, { received: true, outcome }), { topic, id, outcome, ...extra });
    const fail = (reason: string, errors: unknown[], extra?: { slow?: boolean }) =>
      finish(answer(500, { error: reason }), {
        topic,
        id,
        outcome: "failed",
        reason,
        errors: errors.map(describeError),
        ...extra,
      });

    const matched = router.match(topic);
    if (matched.length === 0) return ok("ignored");

    const event = createWebhookEvent(topic, payload, { topic, body: request.body, signature });
    // Duplicate suppression: the first claim of a delivery's key runs the handlers; a duplicate is acknowledged
    // without running them; a store that cannot answer gets 500 (Commerce Layer retries) and nothing runs.
    const claims = options.deduplicate;
    const key = claims && (claims.key?.(event) ?? `${topic}:${signature}`);
    if (claims && key) {
      let claimed: boolean;
      try {
        claimed = await claims.store.claim(key, claims.ttlSeconds ?? DEFAULT_CLAIM_TTL_SECONDS);
      } catch (error) {
        return fail("claim_store_unavailable", [error]);
      }
      if (!claimed) return ok("duplicate");
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
    return failures.length > 0 ? fail("handler_failed", failures, slow) : ok("handled", slow);
  }

  return Object.assign(receive, { maxBodyBytes });
}
