// Legacy Netlify function (v1, Lambda-compatible), served at /.netlify/functions/commercelayer-webhook-legacy,
// for sites that still use this form. Serves the topic handlers in functions/handlers.ts.
import { handlers } from "../handlers.ts";
import { createNetlifyLegacyWebhookHandler } from "./create-handler.ts";

export const handler = createNetlifyLegacyWebhookHandler(handlers);
