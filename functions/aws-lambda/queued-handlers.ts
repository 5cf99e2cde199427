// The example handlers of functions/handlers.ts as the queued pair serves them: `orders.place` is deferred (handed to
// SQS by the receiving function, run later by the worker), the others stay direct. functions/handlers.ts itself stays
// as it is: a deferred handler served without a hand-off fails (500), so the direct bundles must not see one.
import { deferred } from "../../shared/deferred.ts";
import { defineWebhookHandlers } from "../../shared/router.ts";
import { handlers as examples } from "../handlers.ts";

export const handlers = defineWebhookHandlers({
  ...examples,
  "orders.place": deferred(examples["orders.place"]),
});
