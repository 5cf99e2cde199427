// The Node factory file: build your own handlers into a `(req, res)` handler for Express, node:http, a Next.js
// pages-router API route or a Vercel function in the Node signature. Built to
// dist/factories/node/commercelayer-webhook-factory.mjs, with types. Deferred handlers: serve
// `withHandOff(handlers, handOff)` with a hand-off of yours.
import { type NodeHandler, serveNode } from "../../../shared/node/adapter.ts";
import { NODE_RUNTIME } from "../../../shared/node/runtime.ts";
import { createWebhookReceiver, type WebhookOptions, webhookEndpoint } from "../../../shared/webhooks/receiver.ts";
import type { WebhookHandlers } from "../../../shared/webhooks/router.ts";

export type { NodeHandler } from "../../../shared/node/adapter.ts";
export { signPayload, verifySignature } from "../../../shared/node/signature.ts";
export type * from "../../../shared/webhooks/exported-types.ts";
export { withIncludes } from "../../../shared/webhooks/includes.ts";
export { defineWebhookHandlers } from "../../../shared/webhooks/router.ts";

export function createNodeWebhookHandler(handlers: WebhookHandlers, options: WebhookOptions = {}): NodeHandler {
  return serveNode(webhookEndpoint(createWebhookReceiver(NODE_RUNTIME, handlers, { platform: "node", ...options })));
}
