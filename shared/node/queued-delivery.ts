// Queue messages for deferred deliveries, on Node (Buffer's base64): the SQS hand-off and the Vercel queue worker.
import type { SignedDelivery } from "../webhooks/event.ts";

/**
 * A queue message carries the delivery as it arrived; bytes travel as base64 so that nothing re-encodes them. (`utf8`
 * is still read: messages written by earlier versions, still in a queue when they were replaced.)
 */
export interface QueuedDelivery {
  readonly topic: string;
  readonly signature: string;
  readonly body: string;
  readonly encoding: "base64" | "utf8";
}

/** Text bodies (Lambda's) are written as their UTF-8 bytes, which are the bytes that were sent and signed. */
export function toQueuedDelivery({ topic, signature, body }: SignedDelivery): QueuedDelivery {
  return { topic, signature, body: Buffer.from(body as Uint8Array).toString("base64"), encoding: "base64" };
}

/** The delivery a queue message carries, or undefined when the message is not one (it is then never trusted). */
export function fromQueuedDelivery(message: unknown): SignedDelivery | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const { topic, signature, body, encoding } = message as Record<string, unknown>;
  if (typeof topic !== "string" || typeof signature !== "string" || typeof body !== "string") return undefined;
  if (encoding !== "base64" && encoding !== "utf8") return undefined;
  return { topic, signature, body: encoding === "base64" ? Buffer.from(body, "base64") : body };
}
