// The request `npm run send` makes, as Commerce Layer makes it: the same headers, the signature over the exact bytes.
// The content type can be changed or left out to reproduce what a platform does with a delivery that lacks one.
import { signPayload } from "../../shared/node/signature.ts";

/** What Commerce Layer sends. */
export const COMMERCE_LAYER_CONTENT_TYPE = "application/json";

export interface DeliveryRequest {
  readonly url: string;
  readonly topic: string;
  /** The exact bytes sent and signed. */
  readonly body: Buffer;
  /** Every header set, in the order sent; the HTTP client adds host and content-length. */
  readonly headers: Readonly<Record<string, string>>;
}

/** `contentType` undefined: no Content-Type header at all (so no default value here: undefined would take it). */
export function deliveryHeaders(
  topic: string,
  body: Uint8Array,
  secret: string,
  contentType: string | undefined,
): Record<string, string> {
  return {
    ...(contentType === undefined ? {} : { "content-type": contentType }),
    "user-agent": "CommerceLayer Module",
    "accept-encoding": "gzip",
    "x-commercelayer-topic": topic,
    "x-commercelayer-signature": signPayload(body, secret),
  };
}

export function deliveryRequest(
  url: string,
  topic: string,
  body: Buffer,
  secret: string,
  contentType: string | undefined,
): DeliveryRequest {
  return { url, topic, body, headers: deliveryHeaders(topic, body, secret, contentType) };
}

/** The network code of a failed fetch (`ECONNREFUSED`, `ENOTFOUND`...), or its message. */
export function noAnswerCause(error: unknown): string {
  return (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
}

/** What to do when nothing answered at `url`: one line, or undefined when there is nothing more to say. */
export function explainNoAnswer(url: string, cause: string): string | undefined {
  const { origin, hostname } = new URL(url);
  const local = hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
  if (cause === "ECONNREFUSED") {
    return local
      ? `nothing is listening at ${origin}: is \`npm start\` running? Start it in another terminal (PORT sets its port), or give --url`
      : `${origin} refused the connection: check --url`;
  }
  if (cause === "ENOTFOUND" || cause === "EAI_AGAIN") return `cannot resolve ${hostname}: check --url`;
  return undefined;
}
