// Vercel / Next.js App Router, external resources: a Web `POST(request)` serving the kinds of `handlers` by the URL's
// last segments (`/api/external/tax-calculator`, `/api/external/payment-gateway/authorize`, ...).
// Built to dist/factories/vercel/commercelayer-external-factory.mjs.

import type { ExternalHandlers } from "../../../shared/external/handlers.ts";
import { createExternalReceiver, type ExternalOptions } from "../../../shared/external/receiver.ts";
import { NODE_RUNTIME } from "../../../shared/node/runtime.ts";
import { serveWeb, type WebHandler } from "../../../shared/web/adapter.ts";

export * from "../../../shared/external/handlers-file.ts";

export function createVercelExternalHandler(handlers: ExternalHandlers, options: ExternalOptions = {}): WebHandler {
  return serveWeb(createExternalReceiver(NODE_RUNTIME, handlers, { platform: "vercel", ...options }));
}
