// The Vercel / Next.js factory file: build your own handlers into a Web `POST(request)` (App Router, `api/`) or a
// Node `(req, res)` handler (pages router). Bundled to dist/factories/vercel/commercelayer-webhook-factory.mjs, with types.

export type * from "../../shared/public-types.ts";
export { defineWebhookHandlers } from "../../shared/router.ts";
export { signPayload, verifySignature } from "../../shared/signature.ts";
export { createVercelWebhookHandler, type VercelWebhookOptions } from "./create-handler.ts";
export { createNodeWebhookHandler, type NodeWebhookOptions } from "./create-node-handler.ts";
