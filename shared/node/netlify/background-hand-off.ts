// Netlify's durable hand-off: a background function. The receiving function POSTs a deferred delivery, byte for byte
// with its original signature and topic headers, to a background function of the same site; Netlify answers that
// POST with 202 at once, then runs the function (up to 15 minutes) and retries it twice when it fails. The background
// function (background-worker.ts) verifies the signature again, so a request that did not come from the receiving function (or
// was altered on the way) runs nothing.
//
// What Netlify guarantees: the 202 means the invocation was queued; a failed run (the function throws) is retried
// twice, about a minute and then a few minutes later; after that the delivery is gone, with nothing but the function's
// logs to show for it (no dead-letter queue). Deferred handlers must be safe to run more than once.
import { SIGNATURE_HEADER, TOPIC_HEADER } from "../../core/commerce-layer.ts";
import type { HandOff } from "../../webhooks/deferred.ts";

/** The background function the template deploys: the `-background` suffix is what makes Netlify run it in background. */
export const WORKER_FUNCTION = "commercelayer-webhook-worker-background";

export interface BackgroundHandOffOptions {
  /**
   * The background function's URL. Default: `/.netlify/functions/<worker>` on the origin the delivery was sent to (the
   * same site, and the same deploy in all but a published-deploy switch between the two requests).
   */
  readonly url?: string | URL;
  /** The background function's name, for the default URL. Default `commercelayer-webhook-worker-background`. */
  readonly worker?: string;
  /**
   * Longest wait for Netlify's 202, in ms; then the hand-off rejects, the delivery fails (500) and Commerce Layer
   * retries. Default 2000: leaves room inside Commerce Layer's answer timeout (shared/core/commerce-layer.ts).
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
export function createBackgroundHandOff(options: BackgroundHandOffOptions = {}): HandOff {
  const { worker = WORKER_FUNCTION, timeoutMs = 2000 } = options;
  return async (delivery) => {
    // Looked up at each send, not at import: a runtime's or a test's fetch installed later is the one used.
    const send = options.fetch ?? globalThis.fetch;
    const url = options.url ?? (delivery.url && new URL(`/.netlify/functions/${worker}`, delivery.url));
    if (!url) throw new Error("no URL for the background function: pass `url` to createBackgroundHandOff");
    const response = await send(url, {
      method: "POST",
      headers: {
        // octet-stream: no layer on the way (nor netlify-cli's emulator) decodes or re-encodes the bytes.
        "content-type": "application/octet-stream",
        [TOPIC_HEADER]: delivery.topic,
        [SIGNATURE_HEADER]: delivery.signature,
      },
      body: typeof delivery.body === "string" ? delivery.body : new Uint8Array(delivery.body),
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
