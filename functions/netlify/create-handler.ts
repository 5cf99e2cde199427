// Netlify Functions (current, v2): `(request, context) => Response`; arrayBuffer() gives the body byte for byte.
import type { Context } from "@netlify/functions";
import { createWebhookReceiver, type ReceiverOptions } from "../../shared/receiver.ts";
import type { WebhookHandlers } from "../../shared/router.ts";
import { toWebhookRequest, toWebResponse } from "../../shared/web-request.ts";
import { createLambdaWebhookHandler, type LambdaWebhookHandler } from "../aws-lambda/create-handler.ts";

export type NetlifyWebhookOptions = Omit<ReceiverOptions, "platform">;

export function createNetlifyWebhookHandler(
  handlers: WebhookHandlers,
  options: NetlifyWebhookOptions = {},
): (request: Request, context?: Context) => Promise<Response> {
  const receive = createWebhookReceiver(handlers, { platform: "netlify", ...options });
  return async (request) => toWebResponse(await receive(await toWebhookRequest(request, receive)));
}

/**
 * Legacy Netlify functions (v1, `handler(event, context)`) receive a Lambda-compatible event whose body is base64 for
 * most content types (and when there is none): the Lambda adapter already honours `isBase64Encoded`.
 */
export function createNetlifyLegacyWebhookHandler(
  handlers: WebhookHandlers,
  options: NetlifyWebhookOptions = {},
): LambdaWebhookHandler {
  return createLambdaWebhookHandler(handlers, options, "netlify-legacy");
}
