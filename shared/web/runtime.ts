// The receiver's runtime on Web-standard platforms: Web Crypto and TextDecoder, no Node built-in, no Buffer.
import type { ReceiverRuntime } from "../core/runtime.ts";
import { verifySignature } from "./signature.ts";

// fatal: invalid UTF-8 is refused rather than replaced; ignoreBOM: a BOM stays in the text, as Node's decoding keeps it.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();

export const WEB_RUNTIME: ReceiverRuntime = {
  verifySignature,
  decodeUtf8(body) {
    if (typeof body === "string") return body;
    try {
      return decoder.decode(body);
    } catch {
      return undefined;
    }
  },
  byteLength: (body) => (typeof body === "string" ? encoder.encode(body).byteLength : body.byteLength),
};
