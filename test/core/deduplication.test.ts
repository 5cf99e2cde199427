// Deduplication in the pipeline, with the in-memory store: the first delivery runs the handlers, a duplicate
// (sequential or concurrent) is acknowledged without running them, a failure gives the claim back for the retry, and a
// store that cannot answer gets 500 with nothing run.
import { describe, expect, it, vi } from "vitest";
import { createMemoryDeduplicationStore, type DeduplicationStore } from "../../shared/webhooks/deduplication.ts";
import { signedBody, signedDelivery } from "../support/deliveries.ts";
import { receiverWithLog } from "../support/receiver.ts";

const post = (delivery: { body: Buffer; headers: Record<string, string> }) => ({
  method: "POST",
  headers: delivery.headers,
  body: delivery.body,
});
const outcomeOf = (body: string) =>
  (JSON.parse(body) as { outcome?: string; error?: string }).outcome ?? JSON.parse(body).error;

describe("deduplication", () => {
  it("runs the handlers once for the same delivery sent twice in sequence", async () => {
    const handler = vi.fn<() => void>();
    const { receive, logs } = receiverWithLog(
      { "orders.place": handler },
      { deduplicate: { store: createMemoryDeduplicationStore() } },
    );
    const delivery = signedDelivery("orders.place");
    const first = await receive(post(delivery));
    const second = await receive(post(delivery));
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([outcomeOf(first.body), outcomeOf(second.body)]).toEqual(["handled", "duplicate"]);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(logs.map((entry) => entry.outcome)).toEqual(["handled", "duplicate"]);
  });

  it("runs the handlers once when duplicates arrive concurrently", async () => {
    let runs = 0;
    const { receive } = receiverWithLog(
      {
        "orders.place": async () => {
          runs++;
          await new Promise((resolve) => setTimeout(resolve, 30));
        },
      },
      { deduplicate: { store: createMemoryDeduplicationStore() } },
    );
    const delivery = signedDelivery("orders.place");
    const answers = await Promise.all(Array.from({ length: 8 }, () => receive(post(delivery))));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(answers.map((answer) => outcomeOf(answer.body)).sort()).toEqual([
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
      "handled",
    ]);
    expect(runs).toBe(1);
  });

  it("gives the claim back when a handler fails, so that Commerce Layer's retry runs the handlers again", async () => {
    let attempts = 0;
    const { receive } = receiverWithLog(
      {
        "orders.place": () => {
          attempts++;
          if (attempts === 1) throw new Error("payment service down");
        },
      },
      { deduplicate: { store: createMemoryDeduplicationStore() } },
    );
    const delivery = signedDelivery("orders.place");
    expect((await receive(post(delivery))).status).toBe(500);
    const retry = await receive(post(delivery));
    expect(retry.status).toBe(200);
    expect(outcomeOf(retry.body)).toBe("handled");
    expect(outcomeOf((await receive(post(delivery))).body)).toBe("duplicate");
    expect(attempts).toBe(2);
  });

  it("answers 500 and runs nothing when the store cannot answer", async () => {
    const handler = vi.fn<() => void>();
    const broken: DeduplicationStore = {
      claim: () => Promise.reject(new Error("ECONNREFUSED")),
      release: async () => {},
    };
    const { receive, logs } = receiverWithLog({ "*": handler }, { deduplicate: { store: broken } });
    const answer = await receive(post(signedDelivery("orders.place")));
    expect(answer.status).toBe(500);
    expect(outcomeOf(answer.body)).toBe("deduplication_store_unavailable");
    expect(handler).not.toHaveBeenCalled();
    expect(logs[0]).toMatchObject({
      outcome: "failed",
      reason: "deduplication_store_unavailable",
      errors: ["Error: ECONNREFUSED"],
    });
  });

  it("reports a release that fails along with the handler's failure", async () => {
    const store = createMemoryDeduplicationStore();
    const failingRelease: DeduplicationStore = {
      claim: store.claim,
      release: () => Promise.reject(new Error("store gone")),
    };
    const { receive, logs } = receiverWithLog(
      { "*": () => Promise.reject(new Error("boom")) },
      { deduplicate: { store: failingRelease } },
    );
    expect((await receive(post(signedDelivery("orders.place")))).status).toBe(500);
    expect(logs[0]?.errors).toEqual(["Error: boom", "Error: store gone"]);
  });

  it("keys by topic and signature by default: the same body under another topic of the resource is not a duplicate", async () => {
    const handler = vi.fn<() => void>();
    const { receive } = receiverWithLog(
      { "orders.*": handler },
      { deduplicate: { store: createMemoryDeduplicationStore() } },
    );
    const delivery = signedDelivery("orders.place");
    await receive(post(delivery));
    await receive({ ...post(delivery), headers: { ...delivery.headers, "x-commercelayer-topic": "orders.approve" } });
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it("takes a key of your own: topic + data.id + updated_at catches a re-fired event with a different body", async () => {
    const handler = vi.fn<() => void>();
    const key = (event: { topic: string; id: string; data: { attributes: unknown } }) =>
      `${event.topic}:${event.id}:${(event.data.attributes as { updated_at?: string } | null)?.updated_at}`;
    const { receive } = receiverWithLog(
      { "orders.place": handler },
      { deduplicate: { store: createMemoryDeduplicationStore(), key } },
    );
    const delivery = signedDelivery("orders.place");
    // The same event (id, updated_at), re-fired with one byte of difference elsewhere, signed as Commerce Layer would.
    const refired = signedBody("orders.place", delivery.body.toString().replace('"reference":null', '"reference":"x"'));
    expect(refired.body.equals(delivery.body)).toBe(false);
    expect(outcomeOf((await receive(post(delivery))).body)).toBe("handled");
    expect(outcomeOf((await receive(post(refired))).body)).toBe("duplicate");
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("does not claim deliveries that no handler wants", async () => {
    const store = createMemoryDeduplicationStore();
    const claim = vi.spyOn(store, "claim");
    const { receive } = receiverWithLog({ "orders.place": () => {} }, { deduplicate: { store } });
    expect(outcomeOf((await receive(post(signedDelivery("parcels.create")))).body)).toBe("ignored");
    expect(claim).not.toHaveBeenCalled();
  });

  it("the memory store forgets a claim after its time to live", async () => {
    let now = 0;
    const store = createMemoryDeduplicationStore(() => now);
    expect(await store.claim("k", 10)).toBe(true);
    expect(await store.claim("k", 10)).toBe(false);
    now = 10_001;
    expect(await store.claim("k", 10)).toBe(true);
  });
});
