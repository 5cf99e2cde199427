// Web-standard runtimes (edge functions, workerd, Deno, Bun), external resources: a Web handler on Web Crypto serving
// the kinds of `handlers` by the URL's last segments. Bundled to dist/factories/edge/commercelayer-external-factory.mjs.
import { WEB_RUNTIME } from "../../core/web-runtime.ts";
import type { ExternalHandlers } from "../../external/handlers.ts";
import { createExternalEndpoint, type ExternalOptions } from "../../external/receiver.ts";
import { serveWebEndpoint, type WebHandler } from "../../shapes/web.ts";

export * from "../../external/public.ts";

export function createEdgeExternalHandler(handlers: ExternalHandlers, options: ExternalOptions = {}): WebHandler {
  return serveWebEndpoint(createExternalEndpoint(WEB_RUNTIME, handlers, { platform: "edge", ...options }));
}
