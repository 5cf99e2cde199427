// The bundles `npm run build` writes: one self-contained ESM file per platform entry point.
export interface BundleSpec {
  /** Source entry point, relative to the repository root. */
  readonly entry: string;
  /** Output file, relative to the repository root. */
  readonly outfile: string;
  /** What the file is, for its banner. */
  readonly title: string;
  /** Names the file exports, in the form the platform looks for. */
  readonly exports: readonly string[];
  /**
   * A factory file: it gets a bundled declaration file (.d.mts) beside it, for TypeScript users who copy it. Factory
   * files live under dist/factories/, away from the folders platforms deploy (Netlify deploys every file in its
   * functions directory as a function).
   */
  readonly declarations?: boolean;
  /** Packages the file imports and does not contain: the user's project (or the platform's runtime) provides them. */
  readonly external?: readonly string[];
  /**
   * Largest size allowed minified, in bytes, when it is not the default 8 KB (test/bundles/budget.test.ts). Only for a
   * file that is another one plus a stated addition; say why beside it.
   */
  readonly minifiedBudget?: number;
}

const FACTORY_EXPORTS = ["defineWebhookHandlers", "signPayload", "verifySignature"];

export const BUNDLES: readonly BundleSpec[] = [
  {
    entry: "functions/aws-lambda/commercelayer-webhook.ts",
    outfile: "dist/aws-lambda/commercelayer-webhook.mjs",
    title: "AWS Lambda handler (API Gateway REST and HTTP API, Function URL, ALB): export `handler`",
    exports: ["handler"],
  },
  {
    entry: "functions/aws-lambda/commercelayer-webhook-queued.ts",
    outfile: "dist/aws-lambda/commercelayer-webhook-queued.mjs",
    title:
      "AWS Lambda handler, queued pair, receiving side: runs direct handlers, hands deferred ones to SQS (COMMERCELAYER_WEBHOOK_QUEUE_URL): export `handler`",
    exports: ["handler"],
    external: ["@aws-sdk/client-sqs"],
    // The direct Lambda handler (about 7.9 KB minified) plus the hand-off (deferred routing, the SQS send, about
    // 1.5 KB); everything a user copies (the factory files, commercelayer-webhook-queue.mjs included) keeps 8 KB.
    minifiedBudget: 10 * 1024,
  },
  {
    entry: "functions/aws-lambda/commercelayer-webhook-worker.ts",
    outfile: "dist/aws-lambda/commercelayer-webhook-worker.mjs",
    title: "AWS Lambda handler, queued pair, worker: SQS event source, runs deferred handlers: export `handler`",
    exports: ["handler"],
  },
  {
    entry: "functions/vercel/commercelayer-webhook.ts",
    outfile: "dist/vercel/commercelayer-webhook.mjs",
    title: "Vercel function / Next.js App Router route file: export `POST(request)`",
    exports: ["POST"],
  },
  {
    entry: "functions/vercel/commercelayer-webhook-node.ts",
    outfile: "dist/vercel/commercelayer-webhook-node.mjs",
    title: "Node `(req, res)` handler: Next.js pages-router API route, Vercel Node function, any Node server",
    exports: ["config", "default"],
  },
  {
    entry: "functions/netlify/commercelayer-webhook.ts",
    outfile: "dist/netlify/commercelayer-webhook.mjs",
    title: "Netlify function (v2), path /webhooks/commercelayer: export default + config",
    exports: ["config", "default"],
  },
  {
    entry: "functions/netlify/commercelayer-webhook-legacy.ts",
    outfile: "dist/netlify/commercelayer-webhook-legacy.mjs",
    title: "Netlify function (legacy v1, Lambda-compatible): export `handler`",
    exports: ["handler"],
  },
  {
    entry: "functions/aws-lambda/factory.ts",
    outfile: "dist/factories/aws-lambda/commercelayer-webhook-factory.mjs",
    title: "AWS Lambda factory: createLambdaWebhookHandler(yourHandlers, options)",
    exports: ["createLambdaWebhookHandler", ...FACTORY_EXPORTS],
    declarations: true,
  },
  {
    entry: "functions/vercel/factory.ts",
    outfile: "dist/factories/vercel/commercelayer-webhook-factory.mjs",
    title: "Vercel / Next.js factory: createVercelWebhookHandler and createNodeWebhookHandler(yourHandlers, options)",
    exports: ["createNodeWebhookHandler", "createVercelWebhookHandler", ...FACTORY_EXPORTS],
    declarations: true,
  },
  {
    entry: "functions/netlify/factory.ts",
    outfile: "dist/factories/netlify/commercelayer-webhook-factory.mjs",
    title: "Netlify factory: createNetlifyWebhookHandler and createNetlifyLegacyWebhookHandler(yourHandlers, options)",
    exports: ["createNetlifyLegacyWebhookHandler", "createNetlifyWebhookHandler", ...FACTORY_EXPORTS],
    declarations: true,
  },
  {
    entry: "functions/aws-lambda/dynamodb-claim-store.ts",
    outfile: "dist/factories/aws-lambda/dynamodb-claim-store.mjs",
    title:
      "duplicate suppression on DynamoDB: createDynamoDbClaimStore({ tableName }) (imports @aws-sdk/client-dynamodb, which the Lambda Node.js runtime provides)",
    exports: ["createDynamoDbClaimStore"],
    declarations: true,
    external: ["@aws-sdk/client-dynamodb"],
  },
  {
    entry: "functions/aws-lambda/queue-factory.ts",
    outfile: "dist/factories/aws-lambda/commercelayer-webhook-queue.mjs",
    title:
      "deferred handlers on SQS: deferred, withHandOff, createSqsHandOff({ queueUrl }), createLambdaQueueWorker(yourHandlers) (imports @aws-sdk/client-sqs, which the Lambda Node.js runtime provides)",
    exports: ["SQS_MAX_MESSAGE_BYTES", "createLambdaQueueWorker", "createSqsHandOff", "deferred", "withHandOff"],
    declarations: true,
    external: ["@aws-sdk/client-sqs"],
  },
  {
    entry: "functions/vercel/redis-claim-store.ts",
    outfile: "dist/factories/vercel/redis-claim-store.mjs",
    title: "duplicate suppression on Redis: createRedisClaimStore({ url }) (imports `redis`: npm install redis)",
    exports: ["createRedisClaimStore"],
    declarations: true,
    external: ["redis"],
  },
  {
    entry: "functions/netlify/blobs-claim-store.ts",
    outfile: "dist/factories/netlify/blobs-claim-store.mjs",
    title:
      "duplicate suppression on Netlify Blobs: createBlobsClaimStore() (imports @netlify/blobs: npm install @netlify/blobs)",
    exports: ["createBlobsClaimStore"],
    declarations: true,
    external: ["@netlify/blobs"],
  },
  {
    entry: "functions/netlify/background/commercelayer-webhook.ts",
    outfile: "dist/netlify-background/commercelayer-webhook.mjs",
    title:
      "Netlify function (v2), path /webhooks/commercelayer, deferred handlers handed to the background function: export default + config",
    exports: ["config", "default"],
  },
  {
    entry: "functions/netlify/background/commercelayer-webhook-worker-background.ts",
    outfile: "dist/netlify-background/commercelayer-webhook-worker-background.mjs",
    title: "Netlify background function running the deferred handlers: export default",
    exports: ["default"],
  },
  {
    entry: "functions/netlify/queue.ts",
    outfile: "dist/factories/netlify/commercelayer-webhook-queue.mjs",
    title:
      "Netlify deferred handlers: createNetlifyDeferringHandler, createBackgroundHandOff and createNetlifyBackgroundWorker(yourHandlers, options)",
    exports: [
      "WORKER_FUNCTION",
      "createBackgroundHandOff",
      "createNetlifyBackgroundWorker",
      "createNetlifyDeferringHandler",
      "createNetlifyWebhookHandler",
      "deferred",
      "defineWebhookHandlers",
      "withHandOff",
    ],
    declarations: true,
  },
  {
    entry: "functions/vercel/queue.ts",
    outfile: "dist/factories/vercel/commercelayer-webhook-queue.mjs",
    title:
      "Vercel deferred handlers, run after the response in waitUntil (best effort): createVercelWaitUntilHandler and createWaitUntilHandOff(yourHandlers, options) (imports @vercel/functions: npm install @vercel/functions)",
    exports: [
      "createVercelWaitUntilHandler",
      "createVercelWebhookHandler",
      "createWaitUntilHandOff",
      "deferred",
      "deferredOnly",
      "defineWebhookHandlers",
      "withHandOff",
    ],
    declarations: true,
    external: ["@vercel/functions"],
  },
];

export const ENV_BANNER = [
  "Environment variables:",
  "  COMMERCELAYER_WEBHOOK_SECRET         required; the webhook's shared secret (several: comma-separated)",
  "  COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES optional; largest body accepted, default 5242880 (5 MiB)",
  "  COMMERCELAYER_WEBHOOK_BUDGET_MS      optional; handler time before a delivery is logged at_risk, default 4000",
];
