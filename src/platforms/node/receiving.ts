// Any Node HTTP server: `(req, res)` handlers for Express, node:http, Next.js pages-router API routes and Vercel
// functions in the Node signature. Deferred handlers: serve `withHandOff(handlers, handOff)` with a hand-off of yours.
import { createWebhookReceiver, type ReceiverOptions } from "../../core/node-receiver.ts";
import type { WebhookHandlers } from "../../core/router.ts";
import { type NodeHandler, serveNode } from "../../shapes/node.ts";

export type NodeWebhookOptions = Omit<ReceiverOptions, "platform">;

export function createNodeWebhookHandler(
  handlers: WebhookHandlers,
  options: NodeWebhookOptions = {},
  platform = "node",
): NodeHandler {
  return serveNode(createWebhookReceiver(handlers, { platform, ...options }));
}
