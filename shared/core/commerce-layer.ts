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
