// The webhook side of the pipeline (shared/core/pipeline.ts): the topic header checked against the signed body, the
// delivery routed to its handlers, deduplicated when asked, and answered `{"received":true,"outcome":...}`.
// Its checks, after the pipeline's secret, body limit and signature: the topic header (not covered by the signature)
// is present and shaped like a topic, the document parses, and `data.type` is the topic's resource.
import { type HttpAnswer, jsonAnswer, statusOf } from "../core/answer.ts";
import { SIGNATURE_HEADER, TOPIC_HEADER } from "../core/commerce-layer.ts";
import { type HttpEndpoint, type HttpRequest, isPost, signatureCountOf } from "../core/endpoint.ts";
import { SECRET_ENV, secretsFromEnv, topicSecretsFromEnv } from "../core/env.ts";
import { readSingleHeader } from "../core/headers.ts";
import { type DeliveryLogger, describeError, logDeliveryAsJson } from "../core/log.ts";
import { type CallSteps, createPipeline, type IncomingCall } from "../core/pipeline.ts";
import { type DeliveryResult, failed, type Refusal, rejected } from "../core/result.ts";
import type { ReceiverRuntime } from "../core/runtime.ts";
import { TOPIC_SECRETS_ENV, type TopicSecrets } from "../core/topic-secrets.ts";
import { DEFAULT_DEDUPLICATION_TTL_SECONDS, type DeduplicationOptions } from "./deduplication.ts";
import { createWebhookEvent, type WebhookEvent } from "./event.ts";
import { createTopicRouter, runHandlers, type TopicHandler, type WebhookHandlers } from "./router.ts";
import { isTopicShaped, resourceOfTopic } from "./topic.ts";

/** A delivery as it reached a receiver, not yet trusted: what the request (or the queue message) said. */
export interface IncomingDelivery extends IncomingCall {
  /** The `X-CommerceLayer-Topic` value; undefined when missing or ambiguous. */
  readonly topic: string | undefined;
  /** The URL the request was sent to, where the adapter knows it (a same-origin hand-off needs it). */
  readonly url?: string | undefined;
  /** Secrets resolved for this delivery (the edge factory reads them from its context); else the receiver's own. */
  readonly secrets?: readonly string[] | undefined;
  /** Secrets bound to topics resolved for this delivery, likewise. */
  readonly topicSecrets?: TopicSecrets | undefined;
}

export interface WebhookOptions {
  /**
   * Shared secrets that verify a delivery of any topic (webhooks configured by hand); default:
   * `COMMERCELAYER_WEBHOOK_SECRET` (comma-separated), read at every delivery.
   */
  readonly secrets?: readonly string[] | (() => readonly string[]);
  /**
   * Secrets bound to topics (shared/core/topic-secrets.ts): a delivery is verified only with its topic's, a topic with
   * none (and no secret above) is refused before any hashing, and one signed with another topic's secret is refused as
   * such. Default: `COMMERCELAYER_WEBHOOK_TOPIC_SECRETS`, which `npm run commercelayer -- apply` writes.
   */
  readonly topicSecrets?: TopicSecrets | (() => TopicSecrets);
  /** Largest body accepted, in bytes; default: `COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES` or 5 MiB. */
  readonly maxBodyBytes?: number;
  /** Where the one line per delivery goes; default: JSON on stdout. */
  readonly log?: DeliveryLogger;
  /** A label for the log lines; each factory sets its own (`vercel`, `aws-lambda`, `netlify`, ...). */
  readonly platform?: string;
  /**
   * Milliseconds, from the start of the delivery, after which handlers still running are logged once as `at_risk` of
   * Commerce Layer's answer timeout (shared/core/commerce-layer.ts); 0 turns the warning off. Default:
   * `COMMERCELAYER_WEBHOOK_BUDGET_MS` or 4000.
   * The handlers are left to finish and the answer still reflects them: answering 200 early would lose the delivery if
   * a handler then failed (no retry), and answering 500 early or aborting would make Commerce Layer retry work that is
   * still running. A delivery that misses the timeout is retried by Commerce Layer, so handlers must be safe to run twice.
   */
  readonly handlerBudgetMs?: number;
  /** Acknowledge duplicates without running handlers (off by default). */
  readonly deduplicate?: DeduplicationOptions;
}

export interface WebhookReceiver {
  /** Verifies and routes a delivery: read from a request, or taken back from a queue and verified again. */
  receive(delivery: IncomingDelivery): Promise<DeliveryResult>;
  /** Logs an outcome decided before the pipeline could run (not POST, a message that is not a delivery). */
  report(result: DeliveryResult): DeliveryResult;
  /** The body limit in force now, for adapters that can stop reading a stream early. */
  maxBodyBytes(): number;
}

/**
 * Largest body whose failed signature is also checked under the secrets bound to the other topics of its resource, to
 * name a swapped topic: above any real delivery (a large orders.place is ~35 KB), and small enough that a forged body
 * costs at most a few milliseconds. A larger one is refused as `invalid_signature`, after one hash per secret tried.
 */
const MAX_EXPLAINED_BYTES = 256 * 1024;

/** Longest part of a malformed topic a log line shows. */
const MAX_LOGGED_TOPIC = 64;

/** A topic header as received, for a log line: control characters escaped, cut to a safe length. */
function loggable(topic: string): string {
  return JSON.stringify(topic.slice(0, MAX_LOGGED_TOPIC)).slice(1, -1) + (topic.length > MAX_LOGGED_TOPIC ? "…" : "");
}

/** The answer to a delivery: the reason of a refusal (the details are in the log line), or the outcome. */
export function deliveryAnswer(result: DeliveryResult): HttpAnswer {
  const body = "reason" in result ? `{"error":"${result.reason}"}` : `{"received":true,"outcome":"${result.outcome}"}`;
  return jsonAnswer(statusOf(result), body);
}

/**
 * Runs the handlers `matched` for an authentic event: `duplicate` when deduplication has seen it, `handled` when every
 * handler succeeded, else `failed` (Commerce Layer retries the whole delivery). A topic with none is `ignored` before
 * any event is made.
 */
export async function settle(
  matched: readonly TopicHandler[],
  event: WebhookEvent,
  watched: <T>(work: () => Promise<T>) => Promise<T>,
  deduplicate: DeduplicationOptions | undefined,
): Promise<DeliveryResult> {
  const { topic, id } = event;
  const about = { topic, id };
  // The first claim of a delivery's key runs the handlers; a duplicate is acknowledged without running them; a store
  // that cannot answer fails the delivery (Commerce Layer retries) and nothing runs.
  const key = deduplicate && (deduplicate.key?.(event) ?? `${topic}:${event.delivery.signature}`);
  if (deduplicate && key) {
    let claimed: boolean;
    try {
      claimed = await deduplicate.store.claim(key, deduplicate.ttlSeconds ?? DEFAULT_DEDUPLICATION_TTL_SECONDS);
    } catch (error) {
      return failed("deduplication_store_unavailable", { ...about, errors: [describeError(error)] });
    }
    if (!claimed) return { outcome: "duplicate", ...about };
  }
  // runHandlers never rejects: every failure is collected.
  const failures = await watched(() => runHandlers(matched, event));
  // A failed delivery gives its claim back, so that Commerce Layer's retry runs the handlers again.
  if (failures.length > 0 && deduplicate && key) {
    await deduplicate.store.release(key).catch((error: unknown) => failures.push(error));
  }
  if (failures.length === 0) return { outcome: "handled", ...about };
  return failed("handler_failed", { ...about, errors: failures.map(describeError) });
}

/**
 * The webhook receiver on a runtime's crypto and UTF-8 (shared/node/runtime.ts on Node, shared/web/runtime.ts on
 * Web-standard runtimes), served by any request adapter.
 */
export function createWebhookReceiver(
  runtime: ReceiverRuntime,
  handlers: WebhookHandlers,
  options: WebhookOptions = {},
): WebhookReceiver {
  const router = createTopicRouter(handlers);
  const { secrets: configured, topicSecrets: configuredTopics, deduplicate } = options;
  const pipeline = createPipeline(runtime, options, (options.log ?? logDeliveryAsJson) as (entry: object) => void);
  const readSecrets = (): readonly string[] =>
    typeof configured === "function" ? configured() : (configured ?? secretsFromEnv());
  const readTopicSecrets = (): TopicSecrets =>
    typeof configuredTopics === "function" ? configuredTopics() : (configuredTopics ?? topicSecretsFromEnv());

  const steps: CallSteps<IncomingDelivery, DeliveryResult> = {
    secrets: (delivery) => {
      const any = delivery.secrets ?? readSecrets();
      const bound = delivery.topicSecrets ?? readTopicSecrets();
      if (bound.size === 0) return any;
      const { topic } = delivery;
      const own = topic === undefined ? undefined : bound.get(topic);
      if (own !== undefined) return any.length === 0 ? own : [...own, ...any];
      if (any.length > 0) return any;
      // Secrets are bound to topics and none to this one: no hashing for a delivery nothing here could verify.
      if (!topic) return rejected("missing_topic");
      return rejected("unbound_topic", {
        topic: loggable(topic),
        hint: `none bound to it in ${TOPIC_SECRETS_ENV}: apply, then deploy the variable`,
      });
    },
    // Only on the refusal path, so awaited even on Node: a forged call pays for the hashing, not for a microtask.
    unverified: async ({ topic, topicSecrets }, bytes, verify) => {
      if (!topic || bytes > MAX_EXPLAINED_BYTES || !isTopicShaped(topic)) return undefined;
      // A topic swapped within its resource passes every other check (data.type still matches): only the secret tells.
      const resource = resourceOfTopic(topic);
      for (const [other, secrets] of topicSecrets ?? readTopicSecrets()) {
        if (other !== topic && resourceOfTopic(other) === resource && (await verify(secrets))) {
          return rejected("signed_for_another_topic", { topic, hint: `signed with the ${other} webhook's secret` });
        }
      }
      return undefined;
    },
    secretSource: `${SECRET_ENV} or ${TOPIC_SECRETS_ENV}`,
    subject: {},
    // Called only once beforeParse passed: the topic is there.
    checkedSubject: ({ topic }) => ({ topic: topic as string }),
    beforeParse: ({ topic }) => {
      if (!topic) return rejected("missing_topic");
      return isTopicShaped(topic) ? undefined : rejected("malformed_topic", { topic: loggable(topic) });
    },
    accept: (payload, delivery) => {
      const topic = delivery.topic as string;
      const resource = resourceOfTopic(topic);
      const { id, type } = payload.data;
      return type === resource
        ? undefined
        : rejected("topic_type_mismatch", { hint: `the topic needs data.type ${resource}`, topic, id });
    },
    handle: async (payload, delivery, watched) => {
      const { signature, body, url } = delivery;
      const topic = delivery.topic as string;
      const matched = router.match(topic);
      if (matched.length === 0) return { outcome: "ignored", topic, id: payload.data.id };
      const event = createWebhookEvent(topic, payload, { topic, body, signature: signature ?? "", url });
      return settle(matched, event, watched, deduplicate);
    },
  };
  const receive = (delivery: IncomingDelivery): Promise<DeliveryResult> => pipeline.run(delivery, steps);

  // The pipeline's own report: a receiver's callers give it the result only, so its line names no subject.
  return { receive, report: pipeline.report, maxBodyBytes: pipeline.maxBodyBytes };
}

/**
 * The delivery a request carries: callOf's fields and what only a webhook has (the URL, secrets resolved per request),
 * written out in one object rather than spread over a copy of callOf's, which costs a small delivery a few per cent.
 */
function deliveryOf(request: HttpRequest): IncomingDelivery {
  const { headers, body, url, secrets, topicSecrets } = request;
  const signature = readSingleHeader(headers, SIGNATURE_HEADER);
  const topic = readSingleHeader(headers, TOPIC_HEADER);
  return { signature, signatureCount: signatureCountOf(headers, signature), topic, body, url, secrets, topicSecrets };
}

/** The receiver as an HTTP endpoint, for the request adapters: only POST is a delivery, read from its headers. */
export function webhookEndpoint(receiver: WebhookReceiver): HttpEndpoint {
  const refuse = (refusal: Refusal): HttpAnswer => deliveryAnswer(receiver.report(refusal));
  return {
    maxBodyBytes: receiver.maxBodyBytes,
    async answer(request: HttpRequest): Promise<HttpAnswer> {
      if (!isPost(request)) return refuse(rejected("method_not_allowed"));
      return deliveryAnswer(await receiver.receive(deliveryOf(request)));
    },
    refuse,
  };
}
