// A Node server (Express, node:http, Next.js pages router), external resources: a `(req, res)` handler serving the
// kinds of `handlers` by the URL's last segments. Bundled to dist/factories/node/commercelayer-external-factory.mjs.
import { NODE_RUNTIME } from "../../core/node-runtime.ts";
import type { ExternalHandlers } from "../../external/handlers.ts";
import { createExternalEndpoint, type ExternalOptions } from "../../external/receiver.ts";
import { type NodeHandler, serveNodeEndpoint } from "../../shapes/node.ts";

export * from "../../external/public.ts";

export function createNodeExternalHandler(handlers: ExternalHandlers, options: ExternalOptions = {}): NodeHandler {
  return serveNodeEndpoint(createExternalEndpoint(NODE_RUNTIME, handlers, { platform: "node", ...options }));
}
