// The receiving contract between a request adapter (shared/web/adapter.ts, shared/node/adapter.ts,
// shared/node/lambda-adapter.ts) and what it serves: an HTTP request's method, headers and untouched body in, an
// HttpAnswer out. The webhook receiver is one endpoint, the external-resource receiver another; adapters convert a
// platform's request to and from this and know nothing of what is received.
import type { HttpAnswer } from "./answer.ts";
import { SIGNATURE_HEADER, TOPIC_HEADER } from "./commerce-layer.ts";
import { type IncomingHeaders, readHeaderValues, readSingleHeader } from "./headers.ts";
import type { IncomingCall } from "./pipeline.ts";
import type { Refusal } from "./result.ts";
import type { TopicSecrets } from "./topic-secrets.ts";

export interface HttpRequest {
  readonly method: string;
  readonly headers: IncomingHeaders;
  /** The body exactly as received (see IncomingCall.body); read only for POST. */
  readonly body: Uint8Array | string;
  /** The URL the request was sent to, where the adapter knows it (a same-origin hand-off needs it). */
  readonly url?: string;
  /** The request's path, where the adapter has no whole URL (Node, API Gateway): external resources route by it. */
  readonly path?: string;
  /** Secrets resolved for this request, where they come from its context (the edge factory); else the receiver's. */
  readonly secrets?: readonly string[];
  /** Secrets bound to topics resolved for this request, likewise (shared/core/topic-secrets.ts). */
  readonly topicSecrets?: TopicSecrets;
  /** The platform's own request and context (a Web Request and the second argument), for options that read them. */
  readonly platformRequest?: unknown;
  readonly platformContext?: unknown;
}

export interface HttpEndpoint {
  /** The body limit in force now, for adapters that can stop reading a stream early. */
  maxBodyBytes(): number;
  /** The answer to a request (only POST is read). */
  answer(request: HttpRequest): Promise<HttpAnswer>;
  /** Logs what an adapter decided before the request could be read (a non-HTTP event, a lost body) and answers it. */
  refuse(refusal: Refusal): HttpAnswer;
}

/**
 * How many signature headers were sent, when not exactly one was read: a duplicated header is refused as such, a
 * missing one as missing.
 */
export const signatureCountOf = (headers: IncomingHeaders, signature: string | undefined): number =>
  signature === undefined ? readHeaderValues(headers, SIGNATURE_HEADER).length : 1;

/** The signature and topic headers, which may arrive in any case, twice, or not at all. */
export function callOf(request: HttpRequest): IncomingCall & { readonly topic: string | undefined } {
  const { headers } = request;
  const signature = readSingleHeader(headers, SIGNATURE_HEADER);
  return {
    signature,
    signatureCount: signatureCountOf(headers, signature),
    topic: readSingleHeader(headers, TOPIC_HEADER),
    body: request.body,
  };
}

/** Whether a request (the core's, or a platform's own: the adapters read only a POST body) is a POST. */
export const isPost = (request: { readonly method: string }): boolean => request.method.toUpperCase() === "POST";
