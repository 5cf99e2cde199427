// Netlify, worker side of deferred handlers: a background function (named `<anything>-background`, or exporting
// `config = { background: true }`) that the receiving function's hand-off (hand-off.ts) POSTs each deferred delivery
// to. src/core/worker.ts verifies it again and runs the deferred handlers. A failure (a handler threw, no secret
// configured) throws, which is what makes Netlify retry a background function; a refused request (bad signature, not a
// delivery) does not, since running it again would not change the answer. Either way the worker has logged its line.
import type { Context } from "@netlify/functions";
import { toHttpAnswer } from "../../core/answer.ts";
import { SIGNATURE_HEADER, TOPIC_HEADER } from "../../core/commerce-layer.ts";
import { maxBodyBytesFromEnv } from "../../core/env.ts";
import type { WebhookHandlers } from "../../core/router.ts";
import { createDeferredWorker, type WorkerOptions } from "../../core/worker.ts";
import { readWebBody } from "../../shapes/web.ts";

export type NetlifyWebhookWorker = (request: Request, context?: Context) => Promise<Response>;

export function createNetlifyWebhookWorker(
  handlers: WebhookHandlers,
  options: Omit<WorkerOptions, "platform"> = {},
): NetlifyWebhookWorker {
  const work = createDeferredWorker(handlers, { platform: "netlify-background", ...options });
  return async (request) => {
    const topic = request.headers.get(TOPIC_HEADER) ?? "";
    const signature = request.headers.get(SIGNATURE_HEADER) ?? "";
    const body = await readWebBody(request, options.maxBodyBytes ?? maxBodyBytesFromEnv());
    const result = await work({ topic, signature, body });
    const answer = toHttpAnswer(result);
    if (result.outcome === "failed")
      throw new Error(`commercelayer webhook worker: ${answer.body}; Netlify retries it`);
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
}
