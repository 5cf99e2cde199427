// Netlify, external resources: a v2 function (`(request, context) => Response`) serving the kinds of `handlers` by
// the URL's last segments, and the legacy (v1) form. Bundled to dist/factories/netlify/commercelayer-external-factory.mjs.
import { NODE_RUNTIME } from "../../core/node-runtime.ts";
import type { ExternalHandlers } from "../../external/handlers.ts";
import { createExternalEndpoint, type ExternalOptions } from "../../external/receiver.ts";
import { type LambdaHandler, serveLambdaEndpoint } from "../../shapes/lambda.ts";
import { serveWebEndpoint, type WebHandler } from "../../shapes/web.ts";

export * from "../../external/public.ts";

export function createNetlifyExternalHandler(handlers: ExternalHandlers, options: ExternalOptions = {}): WebHandler {
  return serveWebEndpoint(createExternalEndpoint(NODE_RUNTIME, handlers, { platform: "netlify", ...options }));
}

export function createNetlifyLegacyExternalHandler(
  handlers: ExternalHandlers,
  options: ExternalOptions = {},
): LambdaHandler {
  return serveLambdaEndpoint(
    createExternalEndpoint(NODE_RUNTIME, handlers, { platform: "netlify-legacy", ...options }),
  );
}
