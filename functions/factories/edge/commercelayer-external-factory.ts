// Web-standard runtimes (edge functions, workerd, Deno, Bun), external resources: a Web handler on Web Crypto serving
// the kinds of `handlers` by the URL's last segments. Built to dist/factories/edge/commercelayer-external-factory.mjs.

import type { ExternalHandlers } from "../../../shared/external/handlers.ts";
import { createExternalReceiver, type ExternalOptions } from "../../../shared/external/receiver.ts";
import { serveWeb, type WebHandler } from "../../../shared/web/adapter.ts";
import { WEB_RUNTIME } from "../../../shared/web/runtime.ts";

export * from "../../../shared/external/handlers-file.ts";

export function createEdgeExternalHandler(handlers: ExternalHandlers, options: ExternalOptions = {}): WebHandler {
  return serveWeb(createExternalReceiver(WEB_RUNTIME, handlers, { platform: "edge", ...options }));
}
