// A Node server (Express, node:http, Next.js pages router), external resources: a `(req, res)` handler serving the
// kinds of `handlers` by the URL's last segments. Built to dist/factories/node/commercelayer-external-factory.mjs.

import type { ExternalHandlers } from "../../../shared/external/handlers.ts";
import { createExternalReceiver, type ExternalOptions } from "../../../shared/external/receiver.ts";
import { type NodeHandler, serveNode } from "../../../shared/node/adapter.ts";
import { NODE_RUNTIME } from "../../../shared/node/runtime.ts";

export * from "../../../shared/external/handlers-file.ts";

export function createNodeExternalHandler(handlers: ExternalHandlers, options: ExternalOptions = {}): NodeHandler {
  return serveNode(createExternalReceiver(NODE_RUNTIME, handlers, { platform: "node", ...options }));
}
