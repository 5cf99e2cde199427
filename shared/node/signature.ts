// Commerce Layer signs the raw body bytes: base64(HMAC-SHA256(shared_secret, body)). Anything that decodes and
// re-encodes or re-serializes the body changes the bytes (Ruby writes `153.0`, JSON.stringify writes `153`).
import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The `X-CommerceLayer-Signature` value Commerce Layer would send for this body. For tests and tooling. A string is
 * hashed as its UTF-8 encoding.
 */
export function signPayload(body: Uint8Array | string, secret: string): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

/**
 * True when `signature` is the signature of `body` under any one of `secrets` (one per webhook, and old and new during
 * a rotation). The comparison takes the same time whatever the position of the first differing byte.
 */
export function verifySignature(body: Uint8Array | string, signature: string, secrets: readonly string[]): boolean {
  const received = Buffer.from(signature, "utf8");
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signPayload(body, secret), "utf8");
    // Lengths are public (a SHA-256 base64 signature is always 44 characters); only equal lengths are compared.
    if (expected.length === received.length && timingSafeEqual(expected, received)) matched = true;
  }
  return matched;
}
