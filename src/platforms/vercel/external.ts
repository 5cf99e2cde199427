// Vercel / Next.js App Router, external resources: a Web `POST(request)` serving the kinds of `handlers` by the URL's
// last segments (`/api/external/tax-calculator`, `/api/external/payment-gateway/authorize`, ...).
// Bundled to dist/factories/vercel/commercelayer-external-factory.mjs.
import { NODE_RUNTIME } from "../../core/node-runtime.ts";
import type { ExternalHandlers } from "../../external/handlers.ts";
import { createExternalEndpoint, type ExternalOptions } from "../../external/receiver.ts";
import { serveWebEndpoint, type WebHandler } from "../../shapes/web.ts";

export * from "../../external/public.ts";

export function createVercelExternalHandler(handlers: ExternalHandlers, options: ExternalOptions = {}): WebHandler {
  return serveWebEndpoint(createExternalEndpoint(NODE_RUNTIME, handlers, { platform: "vercel", ...options }));
}
