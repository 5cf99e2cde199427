// Netlify, external resources: a v2 function (`(request, context) => Response`) serving the kinds of `handlers` by
// the URL's last segments, and the legacy (v1) form. Built to dist/factories/netlify/commercelayer-external-factory.mjs.

import type { ExternalHandlers } from "../../../shared/external/handlers.ts";
import { createExternalReceiver, type ExternalOptions } from "../../../shared/external/receiver.ts";
import { type LambdaHandler, serveLambda } from "../../../shared/node/lambda-adapter.ts";
import { NODE_RUNTIME } from "../../../shared/node/runtime.ts";
import { serveWeb, type WebHandler } from "../../../shared/web/adapter.ts";

export * from "../../../shared/external/handlers-file.ts";

export function createNetlifyExternalHandler(handlers: ExternalHandlers, options: ExternalOptions = {}): WebHandler {
  return serveWeb(createExternalReceiver(NODE_RUNTIME, handlers, { platform: "netlify", ...options }));
}

export function createNetlifyLegacyExternalHandler(
  handlers: ExternalHandlers,
  options: ExternalOptions = {},
): LambdaHandler {
  return serveLambda(createExternalReceiver(NODE_RUNTIME, handlers, { platform: "netlify-legacy", ...options }));
}
