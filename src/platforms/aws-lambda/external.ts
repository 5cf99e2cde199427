// AWS Lambda (API Gateway REST and HTTP API, Function URL, ALB), external resources: one function serving the kinds of
// `handlers` by the URL's last segments, or `options.kind` for a function per kind.
// Bundled to dist/factories/aws-lambda/commercelayer-external-factory.mjs.
import { NODE_RUNTIME } from "../../core/node-runtime.ts";
import type { ExternalHandlers } from "../../external/handlers.ts";
import { createExternalEndpoint, type ExternalOptions } from "../../external/receiver.ts";
import { type LambdaHandler, serveLambdaEndpoint } from "../../shapes/lambda.ts";

export * from "../../external/public.ts";

export function createLambdaExternalHandler(handlers: ExternalHandlers, options: ExternalOptions = {}): LambdaHandler {
  return serveLambdaEndpoint(createExternalEndpoint(NODE_RUNTIME, handlers, { platform: "aws-lambda", ...options }));
}
