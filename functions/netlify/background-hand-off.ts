// Netlify's durable hand-off: a background function. The receiving (v2) function POSTs a deferred delivery, byte for
// byte with its original signature and topic headers, to a background function of the same site; Netlify answers that
// POST with 202 at once, then runs the function (up to 15 minutes) and retries it twice when it fails. The background
// function is a receiver of its own over the deferred handlers only: it verifies the signature again, so a request
// that did not come from the receiving function (or was altered on the way) runs nothing.
//
// What Netlify guarantees: the 202 means the invocation was queued; a failed run (the function throws) is retried
// twice, about a minute and then a few minutes later; after that the delivery is gone, with nothing but the function's
// logs to show for it (no dead-letter queue). Deferred handlers must be safe to run more than once.
import type { Context } from "@netlify/functions";
import { deferredOnly, type HandOff, withHandOff } from "../../shared/deferred.ts";
import { createWebhookReceiver, SIGNATURE_HEADER, TOPIC_HEADER } from "../../shared/receiver.ts";
import type { WebhookHandlers } from "../../shared/router.ts";
import { toWebhookRequest, toWebResponse } from "../../shared/web-request.ts";
import { createNetlifyWebhookHandler, type NetlifyWebhookOptions } from "./create-handler.ts";

/** The background function the templates deploy: the `-background` suffix is what makes Netlify run it in background. */
export const WORKER_FUNCTION = "commercelayer-webhook-worker-background";

export interface BackgroundHandOffOptions {
  /** The background function's URL, e.g. `https://example.netlify.app/.netlify/functions/<name>-background`. */
  readonly url: string | URL;
  /**
   * Longest wait for Netlify's 202, in ms; then the hand-off rejects, the receiver answers 500 and Commerce Layer
   * retries. Default 2000: leaves room inside Commerce Layer's 5 seconds.
   */
  readonly timeoutMs?: number;
  /** The fetch to send with. Default: the global fetch. */
  readonly fetch?: typeof globalThis.fetch;
}

/**
 * A hand-off that POSTs the delivery to a background function. Resolves on any 2xx (Netlify's 202); rejects on
 * anything else (a 404 for a worker that is not deployed, a redirect, a timeout, a network error), so that the
 * receiving function answers 500 and Commerce Layer delivers again.
 */
export function createBackgroundHandOff(options: BackgroundHandOffOptions): HandOff {
  const { url, timeoutMs = 2000 } = options;
  const send = options.fetch ?? globalThis.fetch;
  return async (delivery) => {
    const body = typeof delivery.body === "string" ? delivery.body : new Uint8Array(delivery.body);
    const response = await send(url, {
      method: "POST",
      headers: {
        // octet-stream: no layer on the way (nor netlify-cli's emulator) decodes or re-encodes the bytes.
        "content-type": "application/octet-stream",
        [TOPIC_HEADER]: delivery.topic,
        [SIGNATURE_HEADER]: delivery.signature,
      },
      body,
      // A followed redirect would turn the POST into a GET without the body: refuse it instead.
      redirect: "error",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) {
      throw new Error(`the background function at ${String(url)} answered ${response.status}`);
    }
  };
}

export interface NetlifyDeferringOptions extends NetlifyWebhookOptions {
  /**
   * Where the background function is. Default: the `/.netlify/functions/<worker>` of the site that received the
   * request (the same origin, so the same deploy in all but a published-deploy switch between the two requests).
   */
  readonly workerUrl?: string | URL;
  /** The background function's name, for the default URL. Default `commercelayer-webhook-worker-background`. */
  readonly worker?: string;
  /** See BackgroundHandOffOptions. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof globalThis.fetch;
}

/**
 * The receiving v2 function: direct handlers run in the request as usual; a delivery with a deferred handler is handed
 * to the background function (once, however many deferred handlers match), and answered 200 once Netlify accepted it.
 * The hand-off needs the request's URL, so each request gets its own (cheap) receiver.
 */
export function createNetlifyDeferringHandler(
  handlers: WebhookHandlers,
  options: NetlifyDeferringOptions = {},
): (request: Request, context?: Context) => Promise<Response> {
  const { workerUrl, worker = WORKER_FUNCTION, timeoutMs, fetch, ...receiverOptions } = options;
  return (request, context) => {
    const url = workerUrl ?? new URL(`/.netlify/functions/${worker}`, request.url);
    const handOff = createBackgroundHandOff({ url, ...definedOnly({ timeoutMs, fetch }) });
    return createNetlifyWebhookHandler(withHandOff(handlers, handOff), receiverOptions)(request, context);
  };
}

/**
 * The background function (name it `<anything>-background`, or export `config = { background: true }`): verifies the
 * handed-off delivery again and runs the deferred handlers only. A failure (a handler threw, no secret configured)
 * throws, which is what makes Netlify retry a background function; a refused request (bad signature, not a delivery)
 * does not, since running it again would not change the answer. Either way the receiver has logged its line.
 */
export function createNetlifyBackgroundWorker(
  handlers: WebhookHandlers,
  options: NetlifyWebhookOptions = {},
): (request: Request, context?: Context) => Promise<Response> {
  const receive = createWebhookReceiver(deferredOnly(handlers), {
    platform: "netlify-background",
    // No one waits for a background function: Commerce Layer's 5-second budget does not apply.
    handlerBudgetMs: 0,
    ...options,
  });
  return async (request) => {
    const response = await receive(await toWebhookRequest(request, receive));
    if (response.status >= 500) {
      throw new Error(`commercelayer webhook worker: ${response.status} ${response.body}; Netlify retries it`);
    }
    return toWebResponse(response);
  };
}

function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}
