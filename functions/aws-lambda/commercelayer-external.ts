// AWS Lambda entry point for external resources: answers Commerce Layer's calls for the kinds functions/external.ts
// implements, the kind named by the route's path (/external/tax-calculator, /external/payment-gateway/authorize...).
// Deployed by serverless.yml from dist/aws-lambda/commercelayer-external.mjs, with one HTTP API route per implemented
// kind (the build writes them: infra/build/external-deploy.ts), and not at all when the file implements none.
import { createExternalReceiver } from "../../shared/external/receiver.ts";
import { serveLambda } from "../../shared/node/lambda-adapter.ts";
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import { externalHandlers } from "../external.ts";

export const handler = serveLambda(createExternalReceiver(NODE_RUNTIME, externalHandlers, { platform: "aws-lambda" }));
