// The receiver's runtime on Node.js: node:crypto's HMAC and timingSafeEqual, and Buffer's one-pass UTF-8 check.
import { isUtf8 } from "node:buffer";
import type { ReceiverRuntime } from "../core/runtime.ts";
import { verifySignature } from "./signature.ts";

export const NODE_RUNTIME: ReceiverRuntime = {
  verifySignature,
  decodeUtf8(body) {
    if (typeof body === "string") return body;
    if (!isUtf8(body)) return undefined;
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8");
  },
  byteLength: (body) => (typeof body === "string" ? Buffer.byteLength(body, "utf8") : body.byteLength),
};
