import { describe, expect, it } from "vitest";
import { readHeaderValues, readSingleHeader } from "../../shared/core/headers.ts";

describe("header lookup", () => {
  it("finds a header whatever the case of its name, in records and in Headers objects", () => {
    for (const name of [
      "x-commercelayer-topic",
      "X-CommerceLayer-Topic",
      "X-COMMERCELAYER-TOPIC",
      "x-CommerceLayer-TOPIC",
    ]) {
      expect(readSingleHeader({ [name]: "orders.place" }, "X-CommerceLayer-Topic")).toBe("orders.place");
      expect(readSingleHeader(new Headers({ [name]: "orders.place" }), "x-commercelayer-topic")).toBe("orders.place");
    }
  });

  it("ignores surrounding whitespace", () => {
    expect(readSingleHeader({ "x-a": "  value \t" }, "x-a")).toBe("value");
  });

  it("treats a header sent twice as ambiguous: arrays, comma-joined values, or two differently cased keys", () => {
    expect(readHeaderValues({ "x-a": ["one", "two"] }, "x-a")).toEqual(["one", "two"]);
    expect(readSingleHeader({ "x-a": ["one", "two"] }, "x-a")).toBeUndefined();
    expect(readSingleHeader({ "x-a": "one, two" }, "x-a")).toBeUndefined();
    expect(readSingleHeader({ "X-A": "one", "x-a": "two" }, "x-a")).toBeUndefined();
    const headers = new Headers();
    headers.append("x-a", "one");
    headers.append("x-a", "two");
    expect(readSingleHeader(headers, "x-a")).toBeUndefined();
  });

  it("treats missing, null and undefined values as absent", () => {
    expect(readSingleHeader({}, "x-a")).toBeUndefined();
    expect(readSingleHeader({ "x-a": undefined, "x-b": null }, "x-a")).toBeUndefined();
    expect(readHeaderValues({ "x-a": [] }, "x-a")).toEqual([]);
  });
});
