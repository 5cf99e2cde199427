// The Node factory file: build your own handlers into a `(req, res)` handler for Express, node:http, a Next.js
// pages-router API route or a Vercel function in the Node signature. Bundled to
// dist/factories/node/commercelayer-webhook-factory.mjs, with types.
export type * from "../../core/public-types.ts";
export { defineWebhookHandlers } from "../../core/router.ts";
export { signPayload, verifySignature } from "../../core/signature.ts";
export type { NodeHandler } from "../../shapes/node.ts";
export { createNodeWebhookHandler, type NodeWebhookOptions } from "./receiving.ts";
