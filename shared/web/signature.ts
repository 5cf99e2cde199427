// The signature over Web Crypto, for runtimes without node:crypto (edge functions, workerd, Deno, Bun). Same contract
// as signature.ts: base64(HMAC-SHA256(shared secret, body bytes)), the header compared as its canonical base64 text.
// `crypto.subtle.verify` compares the MAC in constant time (the Web Crypto specification requires it).

const encoder = new TextEncoder();
const HMAC = { name: "HMAC", hash: "SHA-256" } as const;

/** Imported keys, by secret: importKey is the costly step, and the secrets rarely change. */
const keys = new Map<string, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 16;

function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (key === undefined) {
    // Secrets are read at every delivery; a rotation adds one, so a small cap only ever drops stale ones.
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    key = crypto.subtle.importKey("raw", encoder.encode(secret), HMAC, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

const bytesOf = (body: Uint8Array | string): Uint8Array<ArrayBuffer> =>
  (typeof body === "string" ? encoder.encode(body) : body) as Uint8Array<ArrayBuffer>;

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

// 32 bytes are 43 base64 characters and `=`; the 43rd carries 2 unused low bits, which canonical base64 leaves at 0, so
// it is one of the 16 characters whose index is a multiple of 4. A letter with them set decodes to the same bytes
// (atob accepts it), but it is not the text Commerce Layer sends, and node:crypto's comparison refuses it.
const CANONICAL_SIGNATURE = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** The 32 bytes a canonical base64 SHA-256 signature stands for, or undefined (atob alone accepts other spellings). */
function signatureBytes(signature: string): Uint8Array<ArrayBuffer> | undefined {
  if (!CANONICAL_SIGNATURE.test(signature)) return undefined;
  const binary = atob(signature);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** The `X-CommerceLayer-Signature` value Commerce Layer would send for this body. A string is hashed as UTF-8. */
export async function signPayload(body: Uint8Array | string, secret: string): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", await keyFor(secret), bytesOf(body))));
}

/** True when `signature` is the signature of `body` under any one of `secrets`; each is checked, match or not. */
export async function verifySignature(
  body: Uint8Array | string,
  signature: string,
  secrets: readonly string[],
): Promise<boolean> {
  const received = signatureBytes(signature);
  if (received === undefined) return false;
  const bytes = bytesOf(body);
  const results = await Promise.all(
    secrets.map(async (secret) => crypto.subtle.verify("HMAC", await keyFor(secret), received, bytes)),
  );
  return results.includes(true);
}
