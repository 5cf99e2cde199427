// A receiver wired to in-memory logs, for the core suites.
import type { DeliveryLogEntry } from "../../shared/delivery-log.ts";
import { createWebhookReceiver, type ReceiverOptions } from "../../shared/receiver.ts";
import type { WebhookHandlers } from "../../shared/router.ts";
import { TEST_SECRET } from "./deliveries.ts";

export function receiverWithLog(handlers: WebhookHandlers, options: ReceiverOptions = {}) {
  const logs: DeliveryLogEntry[] = [];
  const receive = createWebhookReceiver(handlers, {
    secrets: [TEST_SECRET],
    log: (entry) => logs.push(entry),
    ...options,
  });
  return { receive, logs };
}
