// Events and their deliveries, as Commerce Layer makes them: an event is recorded on its resource, and every webhook
// of its topic that is enabled and whose circuit is closed gets one signed POST; each attempt is an event_callback
// and counts on the webhook's circuit. `_trigger` fires a recorded event again to every webhook of its topic. Also
// the calls to external resources' URLs, signed with that resource's secret.
//
// Not automatic, because Commerce Layer's schedule is undocumented: retries (retryFailed() makes one more attempt of
// each failed delivery, the same bytes, up to 10 retries).
import { ANSWER_TIMEOUT_MS, MAX_RETRIES, SIGNATURE_HEADER, TOPIC_HEADER } from "../../../shared/core/commerce-layer.ts";
import type { DocumentContext } from "./documents.ts";
import { kindOf } from "./kinds.ts";
import { isCircuitOpen, isDisabled, recordCallOutcome } from "./lifecycle.ts";
import { type Outcome, postSigned, signBody } from "./outgoing.ts";
import { deliveryBody } from "./payload.ts";
import { linkedId } from "./relations.ts";
import type { ResourceInput, Store, StoredResource } from "./store.ts";

/** One POST to a webhook's callback_url, and what came of it. */
export interface DeliveryAttempt {
  readonly eventId: string;
  readonly webhookId: string;
  readonly topic: string;
  readonly callbackUrl: string;
  /** The exact bytes sent, as text, and their signature. */
  readonly body: string;
  readonly signature: string;
  /** Empty when the webhook was deleted while the request was out (no callback is recorded then). */
  readonly eventCallbackId: string;
  /** 1 for the first attempt of a delivery, 2 for its first retry, ... */
  readonly attempt: number;
  readonly ok: boolean;
  /** The answer's status as a string (`"200"`), or null when no answer came (refused, reset, timed out). */
  readonly responseCode: string | null;
  readonly responseMessage: string;
}

export interface EmitResult {
  readonly eventId: string;
  /** The resource the event is about, as stored. */
  readonly resource: { readonly type: string; readonly id: string };
  readonly attempts: readonly DeliveryAttempt[];
}

export interface ExternalCallResult {
  /** False when the resource's circuit is open: Commerce Layer does not call, nothing is recorded. */
  readonly called: boolean;
  readonly url: string;
  readonly requestBody: string;
  readonly signature: string;
  readonly ok: boolean;
  /** The answer's status, or null when none came. */
  readonly status: number | null;
  readonly responseText: string;
  /** The answer parsed as JSON, or undefined when it is not JSON. */
  readonly response: unknown;
}

/** One event's delivery to one webhook: the same bytes for every attempt. */
interface Delivery {
  readonly eventId: string;
  readonly webhookId: string;
  readonly topic: string;
  readonly body: Buffer;
  attempts: number;
  lastOk: boolean;
}

const USER_AGENT = "CommerceLayer Module";

export class Deliveries {
  readonly attempts: DeliveryAttempt[] = [];
  /** The resource of each event as it was when the event happened: what `_trigger` sends again. */
  private readonly subjects = new Map<string, StoredResource>();
  private readonly deliveries: Delivery[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly store: Store,
    private readonly documents: DocumentContext,
    private readonly timeoutMs: number = ANSWER_TIMEOUT_MS,
  ) {}

  /** Records an event of `topic` on the resource (seeding or refreshing it) and delivers it. */
  async emit(topic: string, input: ResourceInput & { readonly type?: string }): Promise<EmitResult> {
    const type = /^([a-z0-9_]+)\.[a-z0-9_]+$/.exec(topic)?.[1];
    if (type === undefined) throw new Error(`${topic} is not a topic (<resource>.<event>)`);
    if (input.type !== undefined && input.type !== type) {
      throw new Error(`a ${topic} event is about ${type}, not ${input.type}`);
    }
    const given = input.attributes !== undefined || input.relationships !== undefined || input.id === undefined;
    const subject = given
      ? this.store.upsert(type, input)
      : (this.store.get(type, input.id as string) ?? this.store.insert(type, input));
    const event = this.store.insert("events", {
      attributes: { name: topic },
      // Not shown (the events kind has no such relationship): what GET /api/<type>/<id>/events looks up.
      relationships: { subject: { type: subject.type, id: subject.id } },
    });
    this.subjects.set(event.id, structuredClone(subject));
    return { eventId: event.id, resource: { type, id: subject.id }, attempts: await this.fire(event) };
  }

  /** The events recorded on a resource. */
  eventsOf(type: string, id: string): StoredResource[] {
    return this.store.all("events").filter((event) => {
      const subject = event.relationships.subject as { type: string; id: string } | undefined;
      return subject?.type === type && subject.id === id;
    });
  }

  /** Delivers an event (again) to every webhook of its topic that is enabled and whose circuit is closed. */
  fire(event: StoredResource): Promise<DeliveryAttempt[]> {
    const topic = String(event.attributes.name);
    const subject = this.subjects.get(event.id);
    if (subject === undefined) return Promise.resolve([]);
    const webhooks = this.store
      .all("webhooks")
      .filter((webhook) => webhook.attributes.topic === topic && !isDisabled(webhook) && !isCircuitOpen(webhook));
    return this.track(
      Promise.all(
        webhooks.map((webhook) => {
          const body = deliveryBody(subject, topic, webhook.attributes.include_resources, this.documents);
          const delivery: Delivery = {
            eventId: event.id,
            webhookId: webhook.id,
            topic,
            body,
            attempts: 0,
            lastOk: false,
          };
          this.deliveries.push(delivery);
          return this.attempt(delivery, webhook);
        }),
      ),
    );
  }

  /**
   * One more attempt of every delivery whose last attempt failed, while it has retries left (10) and its webhook
   * still exists, is enabled and has its circuit closed.
   */
  retryFailed(): Promise<DeliveryAttempt[]> {
    const due = this.deliveries.flatMap((delivery) => {
      const webhook = this.store.get("webhooks", delivery.webhookId);
      const retryable = !delivery.lastOk && delivery.attempts <= MAX_RETRIES;
      return retryable && webhook !== undefined && !isDisabled(webhook) && !isCircuitOpen(webhook)
        ? [{ delivery, webhook }]
        : [];
    });
    return this.track(Promise.all(due.map(({ delivery, webhook }) => this.attempt(delivery, webhook))));
  }

  private async attempt(delivery: Delivery, webhook: StoredResource): Promise<DeliveryAttempt> {
    const callbackUrl = String(webhook.attributes.callback_url);
    const signature = signBody(String(webhook.attributes.shared_secret), delivery.body);
    const headers = {
      "content-type": "application/json",
      [TOPIC_HEADER]: delivery.topic,
      [SIGNATURE_HEADER]: signature,
      "user-agent": USER_AGENT,
    };
    const outcome = await postSigned(callbackUrl, delivery.body, headers, this.timeoutMs);
    delivery.attempts += 1;
    delivery.lastOk = outcome.ok;
    const current = this.store.get("webhooks", webhook.id);
    if (current !== undefined) recordCallOutcome(current, outcome.ok);
    const responseCode = outcome.status === null ? null : String(outcome.status);
    // `event` is not shown (Commerce Layer's event_callbacks have no link to the event): an event's
    // last_event_callbacks reads it. A webhook deleted while the request was out took its callbacks with it.
    const callback =
      current === undefined
        ? undefined
        : this.store.insert("event_callbacks", {
            attributes: {
              callback_url: callbackUrl,
              payload: JSON.parse(delivery.body.toString("utf8")),
              response_code: responseCode,
              response_message: outcome.message,
            },
            relationships: {
              webhook: { type: "webhooks", id: webhook.id },
              event: { type: "events", id: delivery.eventId },
            },
          });
    const attempt: DeliveryAttempt = {
      eventId: delivery.eventId,
      webhookId: webhook.id,
      eventCallbackId: callback?.id ?? "",
      topic: delivery.topic,
      callbackUrl,
      body: delivery.body.toString("utf8"),
      signature,
      attempt: delivery.attempts,
      ok: outcome.ok,
      responseCode,
      responseMessage: outcome.message,
    };
    this.attempts.push(attempt);
    return attempt;
  }

  /** A webhook was deleted: its event_callbacks go with it (Commerce Layer's are the webhook's). */
  forgetWebhook(webhookId: string): void {
    for (const callback of this.store.all("event_callbacks")) {
      if (linkedId(callback, "webhook") === webhookId) this.store.remove("event_callbacks", callback.id);
    }
  }

  /**
   * Calls an external resource's URL as Commerce Layer does: POST of the document (an object is sent as compact JSON,
   * a string as its bytes), signed with the resource's shared_secret; the outcome counts on its circuit (a non-2xx
   * answer, a timeout or a refused connection is a failure).
   */
  async callExternal(type: string, id: string, urlAttribute: string, document: unknown): Promise<ExternalCallResult> {
    const kind = kindOf(type);
    if (kind === undefined || !kind.callUrls.includes(urlAttribute) || type === "webhooks") {
      throw new Error(`${type} has no URL ${urlAttribute} that Commerce Layer calls`);
    }
    const record = this.store.get(type, id);
    if (record === undefined) throw new Error(`no ${type} ${id} in the stand-in: seed it first`);
    const url = record.attributes[urlAttribute];
    if (typeof url !== "string" || url === "") throw new Error(`${type} ${id} has no ${urlAttribute}`);
    const body = Buffer.from(typeof document === "string" ? document : JSON.stringify(document));
    const signature = signBody(String(record.attributes.shared_secret), body);
    const skipped = { called: false, url, requestBody: body.toString("utf8"), signature, ok: false, status: null };
    if (kind.circuit && isCircuitOpen(record)) return { ...skipped, responseText: "", response: undefined };
    const headers = {
      "content-type": "application/json",
      accept: "application/json",
      [SIGNATURE_HEADER]: signature,
      "user-agent": USER_AGENT,
    };
    const outcome: Outcome = await this.track(postSigned(url, body, headers, this.timeoutMs));
    recordCallOutcome(record, outcome.ok);
    let response: unknown;
    try {
      response = JSON.parse(outcome.body);
    } catch {
      response = undefined;
    }
    return { ...skipped, called: true, ok: outcome.ok, status: outcome.status, responseText: outcome.body, response };
  }

  /** Resolves once every delivery and call under way has its outcome recorded. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  clear(): void {
    this.attempts.length = 0;
    this.deliveries.length = 0;
    this.subjects.clear();
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    return promise.finally(() => this.inFlight.delete(promise));
  }
}
