// AWS Lambda (API Gateway REST and HTTP API, Function URL, ALB), external resources: one function serving the kinds of
// `handlers` by the URL's last segments, or `options.kind` for a function per kind.
// Built to dist/factories/aws-lambda/commercelayer-external-factory.mjs.

import type { ExternalHandlers } from "../../../shared/external/handlers.ts";
import { createExternalReceiver, type ExternalOptions } from "../../../shared/external/receiver.ts";
import { type LambdaHandler, serveLambda } from "../../../shared/node/lambda-adapter.ts";
import { NODE_RUNTIME } from "../../../shared/node/runtime.ts";

export * from "../../../shared/external/handlers-file.ts";

export function createLambdaExternalHandler(handlers: ExternalHandlers, options: ExternalOptions = {}): LambdaHandler {
  return serveLambda(createExternalReceiver(NODE_RUNTIME, handlers, { platform: "aws-lambda", ...options }));
}
