// Netlify, receiving side: current functions (v2, `(request, context) => Response`, the body byte for byte from
// arrayBuffer()) and legacy ones (v1, `handler(event)`: a Lambda-compatible event whose body is base64 for most content
// types, and when there is none, which the Lambda shape already honours). Deferred handlers go to the `handOff`
// (createBackgroundHandOff, in hand-off.ts); the worker is worker.ts.
import type { Context } from "@netlify/functions";
import { createWebhookReceiver, type ReceiverOptions } from "../../core/node-receiver.ts";
import type { WebhookHandlers } from "../../core/router.ts";
import { type LambdaHandler, serveLambda } from "../../shapes/lambda.ts";
import { serveWeb } from "../../shapes/web.ts";

export type NetlifyWebhookOptions = Omit<ReceiverOptions, "platform">;

export type NetlifyHandler = (request: Request, context?: Context) => Promise<Response>;

export function createNetlifyWebhookHandler(
  handlers: WebhookHandlers,
  options: NetlifyWebhookOptions = {},
): NetlifyHandler {
  return serveWeb(createWebhookReceiver(handlers, { platform: "netlify", ...options }));
}

export function createNetlifyLegacyWebhookHandler(
  handlers: WebhookHandlers,
  options: NetlifyWebhookOptions = {},
): LambdaHandler {
  return serveLambda(createWebhookReceiver(handlers, { platform: "netlify-legacy", ...options }));
}
