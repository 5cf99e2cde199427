// The Web Crypto signature (the edge factory's) against node:crypto's: the same answer for every body, secret and
// signature spelling, so a delivery gets the same verdict on every runtime.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import * as node from "../../shared/node/signature.ts";
import { WEB_RUNTIME } from "../../shared/web/runtime.ts";
import * as web from "../../shared/web/signature.ts";
import { signedDelivery, TEST_SECRET } from "../support/deliveries.ts";

describe("web-signature.ts", () => {
  const { body } = signedDelivery("orders.place");
  const good = node.signPayload(body, TEST_SECRET);

  it("signs as node:crypto does, a string as its UTF-8 bytes", async () => {
    expect(await web.signPayload(body, TEST_SECRET)).toBe(good);
    expect(await web.signPayload(body.toString("utf8"), TEST_SECRET)).toBe(good);
  });

  it("accepts the exact bytes under any one of several secrets, and nothing with no secret", async () => {
    expect(await web.verifySignature(body, good, ["old-secret", TEST_SECRET])).toBe(true);
    expect(await web.verifySignature(body, good, [])).toBe(false);
    expect(await web.verifySignature(body.subarray(1), good, [TEST_SECRET])).toBe(false);
  });

  it("refuses every spelling node:crypto refuses, the ones atob would decode to the same bytes included", async () => {
    const hex = Buffer.from(good, "base64").toString("hex");
    // The last character before `=` carries 2 unused bits: a different letter there decodes to the same 32 bytes.
    const base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const sameBytes = `${good.slice(0, 42)}${base64[base64.indexOf(good.charAt(42)) ^ 1]}=`;
    expect(Buffer.from(sameBytes, "base64").equals(Buffer.from(good, "base64"))).toBe(true);
    for (const candidate of [
      "",
      good.slice(0, 43),
      `${good}=`,
      `${good} `,
      ` ${good}`,
      hex,
      sameBytes,
      "x".repeat(10_000),
    ]) {
      expect(node.verifySignature(body, candidate, [TEST_SECRET]), candidate).toBe(false);
      expect(await web.verifySignature(body, candidate, [TEST_SECRET]), candidate).toBe(false);
    }
  });

  it("agrees with node:crypto on any body, secret and signature (property)", async () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 1024 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.oneof(fc.constant("sign"), fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 46 })),
        async (bytes, secret, spelling) => {
          const signature = spelling === "sign" ? node.signPayload(bytes, secret) : spelling;
          return (
            (await web.verifySignature(bytes, signature, [secret])) === node.verifySignature(bytes, signature, [secret])
          );
        },
      ),
    );
  });
});

describe("web-runtime.ts decodes and measures as node-runtime.ts does", () => {
  const cases: Uint8Array[] = [
    Buffer.from('{"city":"Città 🛒","total_amount_float":153.0}'),
    Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // a byte order mark, kept: JSON.parse then refuses it on both
    Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), // not UTF-8
    Buffer.from([0xed, 0xa0, 0x80]), // a lone surrogate's encoding: not UTF-8
    Buffer.from([0xf0, 0x9f, 0x9b]), // truncated
    new Uint8Array(0),
  ];
  it.each(cases.map((bytes) => [Buffer.from(bytes).toString("hex"), bytes] as const))("%s", (_hex, bytes) => {
    expect(WEB_RUNTIME.decodeUtf8(bytes)).toBe(NODE_RUNTIME.decodeUtf8(bytes));
    expect(WEB_RUNTIME.byteLength(bytes)).toBe(NODE_RUNTIME.byteLength(bytes));
  });

  it("measures text as its UTF-8 bytes", () => {
    for (const text of ["", "abc", "Città 🛒", "\u{10ffff}"])
      expect(WEB_RUNTIME.byteLength(text)).toBe(NODE_RUNTIME.byteLength(text));
  });
});
