// What Commerce Layer does with a delivery, stated once for the whole code base (docs/commerce-layer.md says the same
// for people, with its sources). Everything that depends on one of these facts imports it from here.

/** The signature header: base64(HMAC-SHA256(shared secret, raw body bytes)). */
export const SIGNATURE_HEADER = "x-commercelayer-signature";

/** The topic header (`orders.place`). Not covered by the signature: the receiver checks it against `data.type`. */
export const TOPIC_HEADER = "x-commercelayer-topic";

/** Commerce Layer gives up on an answer after 5 seconds and counts the delivery as failed. */
export const ANSWER_TIMEOUT_MS = 5000;

/** A failed delivery (timeout or any non-2xx) is retried up to 10 times. */
export const MAX_RETRIES = 10;

/** After 30 failures in a row Commerce Layer opens the webhook's circuit: no more deliveries until it is reset. */
export const CIRCUIT_BREAKER_FAILURES = 30;

// The API that configures them (`npm run commercelayer`, infra/commercelayer/; docs/commerce-layer.md, "The API").

/** A list answers at most 25 resources a page (`page[size]`). */
export const API_MAX_PAGE_SIZE = 25;

/** The token endpoint answers 30 requests a minute: a token is cached until shortly before it expires. */
export const TOKEN_REQUESTS_PER_MINUTE = 30;
