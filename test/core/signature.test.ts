import CryptoJS from "crypto-js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseSecretList } from "../../shared/core/env.ts";
import { signPayload, verifySignature } from "../../shared/node/signature.ts";
import { signedDelivery, TEST_SECRET } from "../support/deliveries.ts";

describe("signPayload", () => {
  it("is base64 HMAC-SHA256 of the bytes, 44 characters", () => {
    const signature = signPayload(Buffer.from('{"data":{}}'), "secret");
    expect(signature).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it("agrees with an independent implementation (crypto-js, as Commerce Layer's docs sign)", () => {
    const { body } = signedDelivery("orders.place");
    const independent = CryptoJS.HmacSHA256(CryptoJS.enc.Latin1.parse(body.toString("latin1")), TEST_SECRET).toString(
      CryptoJS.enc.Base64,
    );
    expect(verifySignature(body, independent, [TEST_SECRET])).toBe(true);
    expect(signPayload(body, TEST_SECRET)).toBe(independent);
  });
});

describe("verifySignature", () => {
  const { body } = signedDelivery("orders.place");
  const good = signPayload(body, TEST_SECRET);

  it("accepts the signature of the exact bytes, including non-ASCII and Ruby-style floats", () => {
    expect(body.toString("utf8")).toContain("Città");
    expect(body.toString("utf8")).toMatch(/_float":\d+\.0[,}]/);
    expect(verifySignature(body, good, [TEST_SECRET])).toBe(true);
  });

  it("rejects a re-serialized body (JSON.stringify(JSON.parse(raw)) changes the bytes)", () => {
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(body.toString("utf8"))));
    expect(reserialized.equals(body)).toBe(false);
    expect(verifySignature(reserialized, good, [TEST_SECRET])).toBe(false);
  });

  it("rejects a body one byte off, in any position", () => {
    for (const position of [0, 1, Math.floor(body.length / 2), body.length - 1]) {
      const changed = Buffer.from(body);
      changed[position] = (changed[position] ?? 0) ^ 0x01;
      expect(verifySignature(changed, good, [TEST_SECRET])).toBe(false);
    }
    expect(verifySignature(body.subarray(0, body.length - 1), good, [TEST_SECRET])).toBe(false);
    expect(verifySignature(Buffer.concat([body, Buffer.from(" ")]), good, [TEST_SECRET])).toBe(false);
  });

  it("accepts any one of several secrets (one per webhook, old and new during rotation)", () => {
    const rotated = signPayload(body, "new-secret");
    expect(verifySignature(body, rotated, ["old-secret", "new-secret"])).toBe(true);
    expect(verifySignature(body, good, ["old-secret", TEST_SECRET, "new-secret"])).toBe(true);
    expect(verifySignature(body, rotated, ["old-secret", TEST_SECRET])).toBe(false);
  });

  it("rejects signatures of the wrong length, hex digests and empty values without throwing", () => {
    const hex = Buffer.from(good, "base64").toString("hex");
    for (const candidate of [
      "",
      good.slice(0, 43),
      `${good}=`,
      `${good} `,
      hex,
      good.toLowerCase(),
      "x".repeat(10_000),
    ]) {
      expect(verifySignature(body, candidate, [TEST_SECRET])).toBe(false);
    }
  });

  it("accepts nothing when no secret is given", () => {
    expect(verifySignature(body, good, [])).toBe(false);
  });
});

describe("secret lists", () => {
  it("trims whitespace around each secret and drops empty entries", () => {
    expect(parseSecretList("  a , b,,\n c \n")).toEqual(["a", "b", "c"]);
    expect(parseSecretList(" , ")).toEqual([]);
    expect(parseSecretList(undefined)).toEqual([]);
  });
});

describe("properties", () => {
  const bytes = fc.uint8Array({ maxLength: 2048 });
  const secret = fc.string({ minLength: 1, maxLength: 64 });

  it("a signature made by signPayload always verifies", () => {
    fc.assert(fc.property(bytes, secret, (body, key) => verifySignature(body, signPayload(body, key), [key])));
  });

  it("any change to the body never verifies", () => {
    fc.assert(
      fc.property(bytes, secret, fc.nat(), fc.integer({ min: 1, max: 255 }), (body, key, at, flip) => {
        fc.pre(body.length > 0);
        const changed = Uint8Array.from(body);
        const index = at % changed.length;
        changed[index] = (changed[index] ?? 0) ^ flip;
        return !verifySignature(changed, signPayload(body, key), [key]);
      }),
    );
  });

  it("any other secret never verifies", () => {
    fc.assert(
      fc.property(bytes, secret, secret, (body, key, other) => {
        fc.pre(key !== other);
        return !verifySignature(body, signPayload(body, key), [other]);
      }),
    );
  });

  it("any change to the signature never verifies", () => {
    fc.assert(
      fc.property(
        bytes,
        secret,
        fc.nat(),
        fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
        (body, key, at, char) => {
          const signature = signPayload(body, key);
          const index = at % 43;
          fc.pre(signature[index] !== char);
          const tampered = signature.slice(0, index) + char + signature.slice(index + 1);
          return !verifySignature(body, tampered, [key]);
        },
      ),
    );
  });
});
