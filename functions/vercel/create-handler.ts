// Vercel functions and Next.js App Router routes: a Web-standard `POST(request)` reads the untouched body with
// arrayBuffer(), so Vercel's Node helpers (which parse bodies for `(req, res)` handlers) never get in the way.
import { createWebhookReceiver, type ReceiverOptions } from "../../shared/receiver.ts";
import type { WebhookHandlers } from "../../shared/router.ts";
import { toWebhookRequest, toWebResponse } from "../../shared/web-request.ts";

export type VercelWebhookOptions = Omit<ReceiverOptions, "platform">;

export function createVercelWebhookHandler(
  handlers: WebhookHandlers,
  options: VercelWebhookOptions = {},
): (request: Request) => Promise<Response> {
  const receive = createWebhookReceiver(handlers, { platform: "vercel", ...options });
  return async (request) => toWebResponse(await receive(await toWebhookRequest(request, receive)));
}
