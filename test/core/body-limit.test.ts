import { createHmac } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { signedDelivery } from "../support/deliveries.ts";
import { receiverWithLog } from "../support/receiver.ts";

// Wrap createHmac so the test can see whether the receiver hashed anything.
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:crypto")>();
  return { ...actual, createHmac: vi.fn(actual.createHmac) };
});

describe("body size limit", () => {
  it("answers 413 for a body over the limit without hashing it or running a handler", async () => {
    const handler = vi.fn<() => void>();
    const delivery = signedDelivery("orders.place");
    vi.mocked(createHmac).mockClear();
    const { receive, logs } = receiverWithLog({ "*": handler }, { maxBodyBytes: delivery.body.length - 1 });
    const response = await receive({ method: "POST", headers: delivery.headers, body: delivery.body });
    expect(response.status).toBe(413);
    expect(createHmac).not.toHaveBeenCalled();
    expect(handler).not.toHaveBeenCalled();
    expect(logs[0]).toMatchObject({ outcome: "rejected", reason: "body_too_large" });
  });

  it("hashes and accepts a body exactly at the limit", async () => {
    const delivery = signedDelivery("orders.place");
    vi.mocked(createHmac).mockClear();
    const { receive } = receiverWithLog({}, { maxBodyBytes: delivery.body.length });
    const response = await receive({ method: "POST", headers: delivery.headers, body: delivery.body });
    expect(response.status).toBe(200);
    expect(createHmac).toHaveBeenCalledTimes(1);
  });
});
