// The edge factory file: build your own handlers into a Web `(request, context?) => Response` that needs no Node
// built-in (Next.js / Vercel Edge routes, Netlify Edge Functions, Cloudflare Workers, Deno, Bun). Bundled to
// dist/factories/edge/commercelayer-webhook-factory.mjs, with types. On Node, prefer the platform's own factory:
// node:crypto verifies faster there. Its signPayload and verifySignature return Promises (Web Crypto is asynchronous).
export type * from "../../core/public-types.ts";
export { defineWebhookHandlers } from "../../core/router.ts";
export { signPayload, verifySignature } from "../../core/web-signature.ts";
export {
  createEdgeWebhookHandler,
  type EdgeSecrets,
  type EdgeWebhookHandler,
  type EdgeWebhookOptions,
} from "./receiving.ts";
