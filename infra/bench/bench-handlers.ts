// The handlers file the benchmarks serve instead of functions/handlers.ts, so that the figures measure the machinery
// whatever the user's handlers do: one direct orders.place handler that prints one line per delivery with its id
// (the load test counts those lines to see each delivery's handler run exactly once).
import { defineWebhookHandlers } from "../../shared/webhooks/handlers-file.ts";

export const BENCH_HANDLER_LINE = "bench handler";

export const handlers = defineWebhookHandlers({
  "orders.place": async (event) => {
    console.log(JSON.stringify({ msg: BENCH_HANDLER_LINE, topic: event.topic, id: event.id }));
  },
});
