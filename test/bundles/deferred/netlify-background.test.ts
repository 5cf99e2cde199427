// The Netlify hand-off pieces of dist/factories/netlify/commercelayer-webhook-queue.mjs with hand-built Requests (the
// whole path through netlify-cli is in test/emulators/netlify/suite/background.test.ts).
import { describe, expect, it, vi } from "vitest";
import type * as Factory from "../../../functions/factories/netlify/commercelayer-webhook-factory.ts";
import type * as Queue from "../../../functions/factories/netlify/commercelayer-webhook-queue.ts";
import { importBundle } from "../../support/bundles.ts";
import { signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";

const { createBackgroundHandOff, createNetlifyWebhookWorker, deferred, withHandOff } = await importBundle<typeof Queue>(
  "dist/factories/netlify/commercelayer-webhook-queue.mjs",
);
const { createNetlifyWebhookHandler } = await importBundle<typeof Factory>(
  "dist/factories/netlify/commercelayer-webhook-factory.mjs",
);

type Handlers = Parameters<typeof createNetlifyWebhookHandler>[0];
/** The receiving function as the queue file's header comment composes it. */
const createNetlifyDeferringHandler = (
  handlers: Handlers,
  { fetch, ...rest }: typeof options & { fetch: typeof globalThis.fetch },
) => createNetlifyWebhookHandler(withHandOff(handlers, createBackgroundHandOff({ fetch })), rest);
const createNetlifyBackgroundWorker = createNetlifyWebhookWorker;

const options = { secrets: [TEST_SECRET], log: () => {} };
const placed = signedDelivery("orders.place");
const webhookRequest = (url = "https://site.netlify.app/webhooks/commercelayer") =>
  new Request(url, { method: "POST", headers: placed.headers, body: new Uint8Array(placed.body) });

describe("createNetlifyDeferringHandler", () => {
  it("POSTs the exact bytes, signature and topic to the site's own background function, then answers 200", async () => {
    const sent: Request[] = [];
    const fetch = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
      sent.push(new Request(input, init));
      return new Response(null, { status: 202 });
    });
    const handler = createNetlifyDeferringHandler({ "orders.place": deferred(() => {}) }, { ...options, fetch });
    expect((await handler(webhookRequest())).status).toBe(200);
    expect(sent).toHaveLength(1);
    const [handedOff] = sent as [Request];
    expect(handedOff.url).toBe("https://site.netlify.app/.netlify/functions/commercelayer-webhook-worker-background");
    expect(handedOff.headers.get("x-commercelayer-signature")).toBe(placed.headers["x-commercelayer-signature"]);
    expect(handedOff.headers.get("x-commercelayer-topic")).toBe("orders.place");
    expect(Buffer.from(await handedOff.arrayBuffer()).equals(placed.body)).toBe(true);
  });

  it.each([
    ["a 404 (worker not deployed)", async () => new Response("not found", { status: 404 })],
    ["a network error", async () => Promise.reject(new TypeError("fetch failed"))],
  ])("answers 500 on %s, so that Commerce Layer retries", async (_name, fetch) => {
    const handler = createNetlifyDeferringHandler({ "orders.place": deferred(() => {}) }, { ...options, fetch });
    expect((await handler(webhookRequest())).status).toBe(500);
  });

  it("gives up after timeoutMs", async () => {
    const fetch = (_input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) =>
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
      );
    const handOff = createBackgroundHandOff({ url: "https://site.netlify.app/x-background", timeoutMs: 100, fetch });
    const delivery = { topic: "orders.place", body: placed.body, signature: "s" };
    await expect(handOff(delivery, undefined as never)).rejects.toThrow();
  });
});

describe("createNetlifyBackgroundWorker", () => {
  it("runs only the deferred handlers, after verifying the signature again", async () => {
    const slow = vi.fn();
    const quick = vi.fn();
    const worker = createNetlifyBackgroundWorker({ "orders.place": [deferred(slow), quick] }, options);
    expect((await worker(webhookRequest())).status).toBe(200);
    expect(slow).toHaveBeenCalledTimes(1);
    expect(quick).not.toHaveBeenCalled();
  });

  it("throws when a deferred handler fails, which is what makes Netlify retry a background function", async () => {
    const worker = createNetlifyBackgroundWorker(
      { "orders.place": deferred(() => Promise.reject(new Error("down"))) },
      options,
    );
    await expect(worker(webhookRequest())).rejects.toThrow(
      /^commercelayer webhook worker: \{"error":"handler_failed"\}; Netlify retries it$/,
    );
  });

  it("refuses a forged request without running anything and without a retry", async () => {
    const run = vi.fn();
    const worker = createNetlifyBackgroundWorker({ "orders.place": deferred(run) }, options);
    const forged = new Request("https://site.netlify.app/.netlify/functions/x-background", {
      method: "POST",
      headers: { ...placed.headers, "x-commercelayer-signature": "forged" },
      body: new Uint8Array(placed.body),
    });
    expect((await worker(forged)).status).toBe(401);
    expect(run).not.toHaveBeenCalled();
  });
});
