// The Vercel / Next.js factory file: build your own handlers into a Web `POST(request)` (App Router, `api/`).
// Bundled to dist/factories/vercel/commercelayer-webhook-factory.mjs, with types. Deferred handlers:
// commercelayer-webhook-queue.mjs (queue.ts) beside it; the `(req, res)` signature: dist/factories/node/.
export type * from "../../core/public-types.ts";
export { defineWebhookHandlers } from "../../core/router.ts";
export { signPayload, verifySignature } from "../../core/signature.ts";
export type { WebHandler } from "../../shapes/web.ts";
export { createVercelWebhookHandler, type VercelWebhookOptions } from "./receiving.ts";
