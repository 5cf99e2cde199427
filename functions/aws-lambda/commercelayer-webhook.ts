// AWS Lambda entry point: `handler` serves the topic handlers in functions/handlers.ts.
// Deployed by serverless.yml from the bundle `npm run build` writes to dist/aws-lambda/.
import { handlers } from "../handlers.ts";
import { createLambdaWebhookHandler } from "./create-handler.ts";

export const handler = createLambdaWebhookHandler(handlers);
