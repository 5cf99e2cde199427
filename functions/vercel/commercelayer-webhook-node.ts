// `(req, res)` flavour: a Next.js pages-router API route (pages/api/webhooks/commercelayer), a Vercel function in the
// Node signature, or any Node HTTP server. Byte-exact with Vercel's helpers on or off.
import { handlers } from "../handlers.ts";
import { createNodeWebhookHandler } from "./create-node-handler.ts";

export default createNodeWebhookHandler(handlers, {}, "vercel-node");

/** Next.js pages router: keep the body unparsed so the signature can be checked (ignored everywhere else). */
export const config = { api: { bodyParser: false } };
