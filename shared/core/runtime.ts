// What the receiver needs from the runtime it runs on: HMAC-SHA256 verification over bytes, and UTF-8. Node builds
// use node:crypto and Buffer (shared/node/runtime.ts), which are faster there; the edge build uses Web Crypto and
// TextDecoder (shared/web/runtime.ts), which every Web-standard runtime has (Vercel Edge, workerd, Deno, Bun).

export interface ReceiverRuntime {
  /**
   * True when `signature` is base64(HMAC-SHA256(secret, body)) for any one of `secrets`, compared in constant time.
   * A string body is hashed as its UTF-8 encoding (the bytes that were sent).
   */
  verifySignature(body: Uint8Array | string, signature: string, secrets: readonly string[]): boolean | Promise<boolean>;
  /** The body as text, or undefined when it is not valid UTF-8. A byte order mark is kept (JSON.parse refuses it). */
  decodeUtf8(body: Uint8Array | string): string | undefined;
  /** The body's size in UTF-8 bytes. */
  byteLength(body: Uint8Array | string): number;
}
