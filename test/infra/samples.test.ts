import { describe, expect, it } from "vitest";
import { buildSampleDelivery } from "../../infra/samples/build.ts";
import { rubyFloat, toRubyJson } from "../../infra/samples/ruby-json.ts";
import { SEED_TOPICS } from "../../shared/generated/topics.ts";

describe("sample deliveries", () => {
  it("are written as Commerce Layer writes them: compact, floats with .0, HTML characters escaped", () => {
    expect(toRubyJson({ a: rubyFloat(153), b: rubyFloat(1.5), c: 2, d: "x<y & z>", e: "Città 🛒" })).toBe(
      '{"a":153.0,"b":1.5,"c":2,"d":"x\\u003cy \\u0026 z\\u003e","e":"Città 🛒"}',
    );
  });

  it("exist for every original topic with data.type equal to the topic's resource", () => {
    for (const topic of SEED_TOPICS) {
      const { body, payload } = buildSampleDelivery(topic);
      expect(JSON.parse(body)).toEqual(
        JSON.parse(JSON.stringify(payload, (_k, v) => (v?.constructor?.name === "RubyFloat" ? v.value : v))),
      );
      expect(payload.data.type).toBe(topic.split(".")[0]);
      if (topic.endsWith(".destroy")) expect(payload.data.attributes).toBeNull();
    }
  });

  it("match their topic and have realistic sizes", () => {
    const place = buildSampleDelivery("orders.place");
    expect(place.payload.data.attributes?.status).toBe("placed");
    expect(place.payload.included).toHaveLength(14);
    expect(Buffer.byteLength(place.body)).toBeGreaterThan(25_000);
    expect(Buffer.byteLength(place.body)).toBeLessThan(40_000);
    expect(buildSampleDelivery("shipments.ship").payload.data.attributes?.status).toBe("shipped");
    expect(Buffer.byteLength(buildSampleDelivery("customers.create", { includes: false }).body)).toBeLessThan(4_000);
  });

  it("cannot survive a re-serialization byte for byte", () => {
    for (const topic of ["orders.place", "customers.create", "shipments.ship"]) {
      const { body } = buildSampleDelivery(topic);
      expect(JSON.stringify(JSON.parse(body))).not.toBe(body);
    }
  });

  it("are deterministic per seed and distinct across seeds", () => {
    expect(buildSampleDelivery("orders.place", { seed: 3 }).body).toBe(
      buildSampleDelivery("orders.place", { seed: 3 }).body,
    );
    expect(buildSampleDelivery("orders.place", { seed: 3 }).body).not.toBe(
      buildSampleDelivery("orders.place", { seed: 4 }).body,
    );
  });
});
