import { describe, expect, it } from "vitest";
import { createWebhookEvent } from "../../shared/webhooks/event.ts";
import { createTopicRouter, runHandlers } from "../../shared/webhooks/router.ts";

describe("topic routing", () => {
  const exact = () => {};
  const perResource = () => {};
  const any = () => {};
  const second = () => {};
  const router = createTopicRouter({ "orders.place": [exact, second], "orders.*": perResource, "*": any });

  it("matches the exact topic, then resource.*, then *", () => {
    expect(router.match("orders.place")).toEqual([exact, second, perResource, any]);
    expect(router.match("orders.cancel")).toEqual([perResource, any]);
    expect(router.match("customers.create")).toEqual([any]);
    expect(router.match("orders_archive.place")).toEqual([any]);
  });

  it("reaches new topics through resource.* and *", () => {
    expect(router.match("orders.teleport")).toEqual([perResource, any]);
    expect(createTopicRouter({ "orders.place": exact }).match("widgets.create")).toEqual([]);
  });

  it("runs matching handlers concurrently and collects every failure", async () => {
    const order: string[] = [];
    const event = createWebhookEvent(
      "orders.place",
      { data: { id: "x", type: "orders", attributes: {} } },
      { topic: "orders.place", body: "", signature: "" },
    );
    const failures = await runHandlers(
      [
        async () => {
          order.push("a:start");
          await new Promise((resolve) => setTimeout(resolve, 10));
          order.push("a:end");
          throw new Error("a");
        },
        async () => {
          order.push("b:start");
          throw new Error("b");
        },
        () => void order.push("c"),
      ],
      event,
    );
    expect(order.slice(0, 3)).toEqual(["a:start", "b:start", "c"]);
    expect(failures.map((error) => (error as Error).message)).toEqual(["a", "b"]);
  });
});
