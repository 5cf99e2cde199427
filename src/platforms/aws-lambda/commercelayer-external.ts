// AWS Lambda entry point for external resources: answers Commerce Layer's calls for the kinds functions/external.ts
// implements, the kind named by the route's path (/external/tax-calculator, /external/payment-gateway/authorize...).
// Deployed by serverless.yml from dist/aws-lambda/commercelayer-external.mjs, with one HTTP API route per implemented
// kind (the build writes them: tooling/build/external-deploy.ts), and not at all when the file implements none.
import { externalHandlers } from "../../../functions/external.ts";
import { createLambdaExternalHandler } from "./external.ts";

export const handler = createLambdaExternalHandler(externalHandlers);
