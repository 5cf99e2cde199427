// Vercel, receiving side: a Web-standard `POST(request)` (Vercel functions, Next.js App Router routes) reads the
// untouched body with arrayBuffer(), so Vercel's Node helpers (which parse bodies for `(req, res)` handlers) never get
// in the way. (For the `(req, res)` signature, see src/platforms/node/.) Deferred handlers: serve
// `withHandOff(handlers, createWaitUntilHandOff(handlers))` (hand-off.ts), or a queue of your own.
import { createWebhookReceiver, type ReceiverOptions } from "../../core/node-receiver.ts";
import type { WebhookHandlers } from "../../core/router.ts";
import { serveWeb, type WebHandler } from "../../shapes/web.ts";

export type VercelWebhookOptions = Omit<ReceiverOptions, "platform">;

export function createVercelWebhookHandler(handlers: WebhookHandlers, options: VercelWebhookOptions = {}): WebHandler {
  return serveWeb(createWebhookReceiver(handlers, { platform: "vercel", ...options }));
}
