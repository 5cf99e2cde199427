// The core's receiver as the request shapes use it (method and headers read by src/core/request.ts, the result turned
// into HTTP by src/core/answer.ts), wired to in-memory logs, for the core suites.
import { type HttpAnswer, toHttpAnswer } from "../../src/core/answer.ts";
import type { DeliveryLogEntry } from "../../src/core/log.ts";
import { createWebhookReceiver, type ReceiverOptions, type WebhookReceiver } from "../../src/core/node-receiver.ts";
import { receiveRequest, type WebhookRequest } from "../../src/core/request.ts";
import type { WebhookHandlers } from "../../src/core/router.ts";
import { TEST_SECRET } from "./deliveries.ts";

export type HttpReceiver = ((request: WebhookRequest) => Promise<HttpAnswer>) & { receiver: WebhookReceiver };

/** A receiver answering HTTP, as every shape does. */
export function httpReceiver(handlers: WebhookHandlers, options: ReceiverOptions = {}): HttpReceiver {
  const receiver = createWebhookReceiver(handlers, options);
  const receive = async (request: WebhookRequest) => toHttpAnswer(await receiveRequest(receiver, request));
  return Object.assign(receive, { receiver });
}

export function receiverWithLog(handlers: WebhookHandlers, options: ReceiverOptions = {}) {
  const logs: DeliveryLogEntry[] = [];
  const receive = httpReceiver(handlers, { secrets: [TEST_SECRET], log: (entry) => logs.push(entry), ...options });
  return { receive, logs };
}
