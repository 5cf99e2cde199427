// An HTTP request's part of receiving: only POST is a delivery, and the signature and topic come from headers that
// may arrive in any case, twice, or not at all. Queue workers skip this: their messages carry both values as they were.
import { SIGNATURE_HEADER, TOPIC_HEADER } from "./commerce-layer.ts";
import { type IncomingHeaders, readHeaderValues, readSingleHeader } from "./headers.ts";
import type { IncomingDelivery, WebhookReceiver } from "./receiver.ts";
import type { DeliveryResult } from "./result.ts";

export interface WebhookRequest {
  readonly method: string;
  readonly headers: IncomingHeaders;
  /** The body exactly as received (see IncomingDelivery.body); read only for POST. */
  readonly body: Uint8Array | string;
  /** The URL the request was sent to, where the shape knows it. */
  readonly url?: string;
  /** The request's path, where the shape has no whole URL (Node, API Gateway): external resources route by it. */
  readonly path?: string;
  /** Secrets resolved for this request, where they come from its context (the edge form); else the receiver's. */
  readonly secrets?: readonly string[];
}

export function deliveryOf(request: WebhookRequest): IncomingDelivery {
  const { headers } = request;
  const signature = readSingleHeader(headers, SIGNATURE_HEADER);
  return {
    signature,
    // Counted only when there is no single one, to tell a duplicated header from a missing one.
    signatureCount: signature === undefined ? readHeaderValues(headers, SIGNATURE_HEADER).length : 1,
    topic: readSingleHeader(headers, TOPIC_HEADER),
    body: request.body,
    url: request.url,
    secrets: request.secrets,
  };
}

export function receiveRequest(receiver: WebhookReceiver, request: WebhookRequest): Promise<DeliveryResult> {
  if (request.method.toUpperCase() !== "POST") {
    return Promise.resolve(receiver.report({ outcome: "rejected", reason: "method_not_allowed" }));
  }
  return receiver(deliveryOf(request));
}
