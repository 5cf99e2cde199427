// Netlify, worker side of deferred handlers: a background function (named `<anything>-background`, or exporting
// `config = { background: true }`) that the receiving function's hand-off (background-hand-off.ts) POSTs each deferred
// delivery to, served by the one Web adapter like any webhook request. shared/webhooks/worker.ts verifies it again and
// runs the deferred handlers. A failure (a handler threw, no secret configured) throws, which is what makes Netlify
// retry a background function; a refused request (bad signature, not a delivery) does not, since running it again
// would not change the answer. Either way the worker has logged its line.
import type { Context } from "@netlify/functions";
import { serveWeb, type WebHandler } from "../../web/adapter.ts";
import { webhookEndpoint } from "../../webhooks/receiver.ts";
import type { WebhookHandlers } from "../../webhooks/router.ts";
import { createDeferredWorker, type WorkerOptions } from "../../webhooks/worker.ts";
import { NODE_RUNTIME } from "../runtime.ts";

export type NetlifyWebhookWorker = WebHandler<Context>;

export function createNetlifyWebhookWorker(
  handlers: WebhookHandlers,
  options: Omit<WorkerOptions, "platform"> = {},
): NetlifyWebhookWorker {
  const endpoint = webhookEndpoint(
    createDeferredWorker(NODE_RUNTIME, handlers, { platform: "netlify-background", ...options }),
  );
  return serveWeb({
    ...endpoint,
    async answer(request) {
      const answer = await endpoint.answer(request);
      // Only a failure answers 500 (shared/core/answer.ts).
      if (answer.status >= 500) throw new Error(`commercelayer webhook worker: ${answer.body}; Netlify retries it`);
      return answer;
    },
  });
}
