// The webhook receiver as the request adapters serve it (method and headers read by shared/core/endpoint.ts, the
// result turned into HTTP by shared/webhooks/receiver.ts), on Node's runtime, wired to in-memory logs, for the core
// suites.
import type { HttpAnswer } from "../../shared/core/answer.ts";
import type { HttpRequest } from "../../shared/core/endpoint.ts";
import type { DeliveryLogEntry } from "../../shared/core/log.ts";
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import {
  createWebhookReceiver,
  type WebhookOptions,
  type WebhookReceiver,
  webhookEndpoint,
} from "../../shared/webhooks/receiver.ts";
import type { WebhookHandlers } from "../../shared/webhooks/router.ts";
import { TEST_SECRET } from "./deliveries.ts";

export type HttpReceiver = ((request: HttpRequest) => Promise<HttpAnswer>) & { receiver: WebhookReceiver };

/** A receiver answering HTTP, as every adapter serves it. */
export function httpReceiver(handlers: WebhookHandlers, options: WebhookOptions = {}): HttpReceiver {
  const receiver = createWebhookReceiver(NODE_RUNTIME, handlers, options);
  const endpoint = webhookEndpoint(receiver);
  return Object.assign((request: HttpRequest) => endpoint.answer(request), { receiver });
}

export function receiverWithLog(handlers: WebhookHandlers, options: WebhookOptions = {}) {
  const logs: DeliveryLogEntry[] = [];
  const receive = httpReceiver(handlers, {
    secrets: [TEST_SECRET],
    log: (entry: DeliveryLogEntry) => logs.push(entry),
    ...options,
  });
  return { receive, logs };
}
