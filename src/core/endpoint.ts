// What a request shape (src/shapes/) serves: something that answers an HTTP request's method, headers and body. The
// webhook receiver is one; each external resource's receiver (src/external/) is another. Shapes convert a platform's
// request to and from this, and know nothing of what is received.
import { type HttpAnswer, toHttpAnswer } from "./answer.ts";
import type { WebhookReceiver } from "./receiver.ts";
import { receiveRequest, type WebhookRequest } from "./request.ts";
import type { DeliveryResult } from "./result.ts";

export interface HttpEndpoint {
  /** The body limit in force now, for shapes that can stop reading a stream early. */
  maxBodyBytes(): number;
  /** The answer to a request (only POST is read; see request.ts). */
  answer(request: WebhookRequest): Promise<HttpAnswer>;
  /** Logs what a shape decided before the request could be read (a non-HTTP event, a lost body) and answers it. */
  refuse(outcome: DeliveryResult): HttpAnswer;
}

/** The webhook receiver as an endpoint: its result, turned into HTTP by answer.ts. */
export function webhookEndpoint(receiver: WebhookReceiver): HttpEndpoint {
  return {
    maxBodyBytes: () => receiver.maxBodyBytes(),
    answer: async (request) => toHttpAnswer(await receiveRequest(receiver, request)),
    refuse: (outcome) => toHttpAnswer(receiver.report(outcome)),
  };
}
