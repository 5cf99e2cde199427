// The receiver on Node.js's own crypto and Buffer (node-runtime.ts): what every Node build (Lambda, Vercel, Netlify,
// a plain Node server) and the queue workers use. The edge factory uses the same pipeline on Web Crypto.
import { NODE_RUNTIME } from "./node-runtime.ts";
import { createReceiver, type ReceiverOptions, type WebhookReceiver } from "./receiver.ts";
import type { WebhookHandlers } from "./router.ts";

export type { IncomingDelivery, ReceiverOptions, WebhookReceiver } from "./receiver.ts";

export function createWebhookReceiver(handlers: WebhookHandlers, options: ReceiverOptions = {}): WebhookReceiver {
  return createReceiver(NODE_RUNTIME, handlers, options);
}
