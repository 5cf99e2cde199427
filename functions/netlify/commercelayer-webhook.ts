// Netlify function (v2) served at /webhooks/commercelayer. Serves the topic handlers in functions/handlers.ts.
// Netlify finds `default` and `config` by reading the file, so both stay plain top-level exports.
import type { Config } from "@netlify/functions";
import { handlers } from "../handlers.ts";
import { createNetlifyWebhookHandler } from "./create-handler.ts";

export default createNetlifyWebhookHandler(handlers);

export const config: Config = { path: "/webhooks/commercelayer" };
