// The Worker's entry point (wrangler.toml `main`). Commerce Layer posts to the Worker's URL; every request goes to the
// receiver, which answers anything but a signed POST itself (405, 401...).
import { createEdgeWebhookHandler, defineWebhookHandlers } from "../lib/commercelayer-webhook-factory.mjs";

interface Env {
  // A secret binding: `wrangler secret put COMMERCELAYER_WEBHOOK_SECRET`, or .dev.vars locally.
  readonly COMMERCELAYER_WEBHOOK_SECRET?: string;
}

const handlers = defineWebhookHandlers({
  "orders.place": async (event) => {
    console.log(JSON.stringify({ userHandler: "orders.place", id: event.id, number: event.data.attributes.number }));
  },
});

export default {
  // Workers have no process.env: the secret is read from the request's `env` binding, at every request.
  fetch: createEdgeWebhookHandler(handlers, { secrets: (_request, env: Env) => env.COMMERCELAYER_WEBHOOK_SECRET }),
};
