// The Netlify factory file: build your own handlers into a Netlify function (v2, `(request, context) => Response`,
// the body byte for byte from arrayBuffer()). Built to dist/factories/netlify/commercelayer-webhook-factory.mjs, with
// types. Deferred handlers: commercelayer-webhook-queue.mjs beside it; legacy (v1) functions:
// commercelayer-webhook-legacy-factory.mjs.
import type { Context } from "@netlify/functions";
import { NODE_RUNTIME } from "../../../shared/node/runtime.ts";
import { serveWeb, type WebHandler } from "../../../shared/web/adapter.ts";
import { createWebhookReceiver, type WebhookOptions, webhookEndpoint } from "../../../shared/webhooks/receiver.ts";
import type { WebhookHandlers } from "../../../shared/webhooks/router.ts";

export { signPayload, verifySignature } from "../../../shared/node/signature.ts";
export type * from "../../../shared/webhooks/exported-types.ts";
export { withIncludes } from "../../../shared/webhooks/includes.ts";
export { defineWebhookHandlers } from "../../../shared/webhooks/router.ts";

export type NetlifyHandler = WebHandler<Context>;

export function createNetlifyWebhookHandler(handlers: WebhookHandlers, options: WebhookOptions = {}): NetlifyHandler {
  return serveWeb(webhookEndpoint(createWebhookReceiver(NODE_RUNTIME, handlers, { platform: "netlify", ...options })));
}
