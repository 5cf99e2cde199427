// infra/drive/entry-points.ts, the one module that calls a built bundle as its platform would (used by `npm start`
// and the benchmarks): every deployable entry point of the fixture build, through it, answers a signed delivery,
// refuses a forged one, and keeps a header sent twice as two.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ENTRY_POINTS, type EntryName, loadEntry } from "../../infra/drive/entry-points.ts";
import { fixtureBuild } from "../support/bundles.ts";
import { signedDelivery, TEST_SECRET } from "../support/deliveries.ts";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const NAMES = Object.keys(ENTRY_POINTS) as EntryName[];

describe.each(NAMES)("%s, driven through its platform's shape", (name) => {
  const request = (headers: Record<string, string | string[]>, body: Buffer) => ({
    method: "POST",
    url: "https://example.com/webhooks/commercelayer",
    headers,
    body,
  });

  it("answers a signed delivery as the contract says, and runs the fixture handler on the exact bytes", async () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", TEST_SECRET);
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    const send = await loadEntry(fixtureBuild(), name);
    const delivery = signedDelivery("customers.create");
    const answer = await send(request(delivery.headers, delivery.body));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString("utf8"))).toEqual({ received: true, outcome: "handled" });
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
    expect(lines.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ msg: "fixture handler", handler: "customers.create" }),
    );
  });

  it("refuses a forged signature (401) and a signature header sent twice (401)", async () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", TEST_SECRET);
    vi.spyOn(console, "log").mockImplementation(() => {});
    const send = await loadEntry(fixtureBuild(), name);
    const delivery = signedDelivery("customers.create");
    const forged = { ...delivery.headers, "x-commercelayer-signature": "A".repeat(43) + "=" };
    expect((await send(request(forged, delivery.body))).status).toBe(401);
    const signature = delivery.headers["x-commercelayer-signature"] as string;
    const twice = { ...delivery.headers, "x-commercelayer-signature": [signature, signature] };
    const answer = await send(request(twice, delivery.body));
    expect(answer.status).toBe(401);
    expect(answer.body.toString("utf8")).toContain("duplicate_signature_header");
  });
});
