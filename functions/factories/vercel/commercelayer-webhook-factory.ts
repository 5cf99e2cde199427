// The Vercel / Next.js factory file: build your own handlers into a Web `POST(request)` (App Router, `api/`).
// Built to dist/factories/vercel/commercelayer-webhook-factory.mjs, with types. Deferred handlers:
// commercelayer-webhook-queue.mjs beside it; the `(req, res)` signature: dist/factories/node/.
import { NODE_RUNTIME } from "../../../shared/node/runtime.ts";
import { serveWeb, type WebHandler } from "../../../shared/web/adapter.ts";
import { createWebhookReceiver, type WebhookOptions, webhookEndpoint } from "../../../shared/webhooks/receiver.ts";
import type { WebhookHandlers } from "../../../shared/webhooks/router.ts";

export { signPayload, verifySignature } from "../../../shared/node/signature.ts";
export type { WebHandler } from "../../../shared/web/adapter.ts";
export type * from "../../../shared/webhooks/exported-types.ts";
export { withIncludes } from "../../../shared/webhooks/includes.ts";
export { defineWebhookHandlers } from "../../../shared/webhooks/router.ts";

export function createVercelWebhookHandler(handlers: WebhookHandlers, options: WebhookOptions = {}): WebHandler {
  return serveWeb(webhookEndpoint(createWebhookReceiver(NODE_RUNTIME, handlers, { platform: "vercel", ...options })));
}
