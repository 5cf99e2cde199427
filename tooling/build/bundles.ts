// The bundles `npm run build` writes: one self-contained ESM file per platform entry point.
import { EXTERNAL_KIND_NAMES, EXTERNAL_KINDS } from "../../src/external/kinds.ts";

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
  /** Packages bundled from one of their own modules rather than their index (see WAIT_UNTIL_ONLY). */
  readonly alias?: Readonly<Record<string, string>>;
  /**
   * Largest size allowed minified, in bytes, when it is not COPIED_FILE_BUDGET (test/bundles/budget.test.ts). Only for a
   * file that is another one plus a stated addition; say why beside it.
   */
  readonly minifiedBudget?: number;
  /**
   * `web`: runs on Web-standard runtimes (edge functions, workerd, Deno, Bun), so it is built for no platform in
   * particular and must import nothing, Node's built-ins included (test/bundles/platforms/edge.test.ts). Default: Node.
   */
  readonly runtime?: "web";
  /**
   * A deployable of functions/external.ts: built only when that file implements a kind (nothing of it is deployed
   * otherwise). `netlify-config`: Netlify's, whose `config` lists the implemented kinds' paths (external-deploy.ts).
   */
  readonly externalDeployable?: "routed" | "netlify-config";
  /** The environment variables its banner lists. Default ENV_BANNER, the webhook's. */
  readonly envBanner?: readonly string[];
}

/**
 * Size allowed, minified, for a file a user copies (a factory, a queue, a claim store): small enough to read whole.
 * 9 KB since the rejection log lines carry hints (which check failed, how many bytes arrived); it was 8 KB.
 */
export const COPIED_FILE_BUDGET = 9 * 1024;

const FACTORY_EXPORTS = ["defineWebhookHandlers", "signPayload", "verifySignature"];

/**
 * What a bundle that answers external resources lists in its banner: one secret variable per Commerce Layer resource
 * that holds one (src/external/kinds.ts), never the webhook's.
 */
export const EXTERNAL_ENV_BANNER = [
  "Environment variables (each kind is verified with its own resource's secrets only; several: comma-separated):",
  ...[...new Set(EXTERNAL_KIND_NAMES.map((kind) => EXTERNAL_KINDS[kind].secretEnv))].map(
    (variable) =>
      `  ${variable.padEnd(38)} ${EXTERNAL_KIND_NAMES.filter((kind) => EXTERNAL_KINDS[kind].secretEnv === variable).join(", ")}`,
  ),
  "  COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES   optional; largest body accepted, default 5242880 (5 MiB)",
  "  COMMERCELAYER_WEBHOOK_BUDGET_MS        optional; handler time before a call is logged at_risk, default 4000",
];

/**
 * Size allowed for a file that answers external resources: the receiver plus ten kinds' documents, each checked field
 * by field before it is sent. The deployables hold the handlers instead of the factory's exported helpers (measured
 * with the suites' fixture, all ten kinds: smaller than the factory).
 */
const EXTERNAL_BUDGET = COPIED_FILE_BUDGET + 8 * 1024;

/** What every external-resource factory file exports besides its create function (src/external/public.ts). */
const EXTERNAL_EXPORTS = [
  "EXTERNAL_KIND_NAMES",
  "defineExternalHandlers",
  "failure",
  "invalidOrder",
  "paymentOutcomeBody",
  "postPaymentOutcome",
];

/** The external-resource factory of each platform: `create<Platform>ExternalHandler(yourHandlers, options)`. */
const EXTERNAL_FACTORIES: readonly BundleSpec[] = (
  [
    ["vercel", "createVercelExternalHandler", "a Web POST(request)"],
    ["node", "createNodeExternalHandler", "a (req, res) handler"],
    ["aws-lambda", "createLambdaExternalHandler", "a Lambda handler for every HTTP event source"],
    ["netlify", "createNetlifyExternalHandler", "a v2 function (createNetlifyLegacyExternalHandler: v1)"],
    ["edge", "createEdgeExternalHandler", "a Web handler on Web Crypto"],
  ] as const
).map(([platform, create, what]) => ({
  entry: `src/platforms/${platform}/external.ts`,
  outfile: `dist/factories/${platform}/commercelayer-external-factory.mjs`,
  title: `external resources (payment gateway, tax calculator, prices, shipping costs, order validation, promotion): ${create}(yourHandlers, options), ${what}`,
  exports: [create, ...(platform === "netlify" ? ["createNetlifyLegacyExternalHandler"] : []), ...EXTERNAL_EXPORTS],
  declarations: true,
  envBanner: EXTERNAL_ENV_BANNER,
  minifiedBudget: EXTERNAL_BUDGET,
  ...(platform === "edge" ? { runtime: "web" as const } : {}),
}));

const P = "src/platforms";

/** The external-resource deployables, built from functions/external.ts when it implements a kind. */
const EXTERNAL_DEPLOYABLES: readonly BundleSpec[] = [
  {
    entry: `${P}/aws-lambda/commercelayer-external.ts`,
    outfile: "dist/aws-lambda/commercelayer-external.mjs",
    title:
      "AWS Lambda handler for external resources, one HTTP API route per kind functions/external.ts implements: export `handler`",
    exports: ["handler"],
    externalDeployable: "routed",
    envBanner: EXTERNAL_ENV_BANNER,
    minifiedBudget: EXTERNAL_BUDGET,
  },
  {
    entry: `${P}/vercel/commercelayer-external.ts`,
    outfile: "dist/vercel/commercelayer-external.mjs",
    title:
      "Vercel function for external resources, in .vercel/output once per kind functions/external.ts implements: export `POST(request)`",
    exports: ["POST"],
    externalDeployable: "routed",
    envBanner: EXTERNAL_ENV_BANNER,
    minifiedBudget: EXTERNAL_BUDGET,
  },
  {
    entry: `${P}/netlify/commercelayer-external.ts`,
    outfile: "dist/netlify/commercelayer-external.mjs",
    title:
      "Netlify function (v2) for external resources, `config.path` one per kind functions/external.ts implements: export default + config",
    exports: ["config", "default"],
    externalDeployable: "netlify-config",
    envBanner: EXTERNAL_ENV_BANNER,
    minifiedBudget: EXTERNAL_BUDGET,
  },
];

/**
 * @vercel/functions' index is CommonJS that requires every helper it has (cache, OIDC, database pools...), which a
 * bundler cannot leave out: 20 KB for the 20 lines of `waitUntil`. The deployable Vercel bundles take that one module.
 */
const WAIT_UNTIL_ONLY = { "@vercel/functions": "./node_modules/@vercel/functions/wait-until.js" };

/**
 * Size allowed for a deployable bundle that carries its platform's hand-off for deferred handlers (and, on Vercel,
 * the worker that runs them in the same instance). Deployed, not copied: what a user copies keeps COPIED_FILE_BUDGET.
 */
const WITH_HAND_OFF_BUDGET = COPIED_FILE_BUDGET + 4 * 1024;

export const BUNDLES: readonly BundleSpec[] = [
  {
    entry: `${P}/aws-lambda/commercelayer-webhook.ts`,
    outfile: "dist/aws-lambda/commercelayer-webhook.mjs",
    title:
      "AWS Lambda handler (API Gateway REST and HTTP API, Function URL, ALB), deferred handlers handed to SQS (COMMERCELAYER_WEBHOOK_QUEUE_URL): export `handler`",
    exports: ["handler"],
    external: ["@aws-sdk/client-sqs"],
    // The receiver plus the SQS hand-off (deferred routing, the send).
    minifiedBudget: WITH_HAND_OFF_BUDGET,
  },
  {
    entry: `${P}/aws-lambda/commercelayer-webhook-worker.ts`,
    outfile: "dist/aws-lambda/commercelayer-webhook-worker.mjs",
    title: "AWS Lambda worker: SQS event source, runs the deferred handlers: export `handler`",
    exports: ["handler"],
  },
  {
    entry: `${P}/vercel/commercelayer-webhook.ts`,
    outfile: "dist/vercel/commercelayer-webhook.mjs",
    title:
      "Vercel function / Next.js App Router route file, deferred handlers run in waitUntil: export `POST(request)`",
    exports: ["POST"],
    alias: WAIT_UNTIL_ONLY,
    // The receiver plus the waitUntil hand-off (and @vercel/functions' waitUntil, inlined: Vercel's prebuilt output
    // has no node_modules).
    minifiedBudget: WITH_HAND_OFF_BUDGET,
  },
  {
    entry: `${P}/vercel/commercelayer-webhook-node.ts`,
    outfile: "dist/vercel/commercelayer-webhook-node.mjs",
    title:
      "Node `(req, res)` handler: Next.js pages-router API route, Vercel Node function, any Node server; deferred handlers run in waitUntil",
    exports: ["config", "default"],
    alias: WAIT_UNTIL_ONLY,
    minifiedBudget: WITH_HAND_OFF_BUDGET,
  },
  {
    entry: `${P}/netlify/commercelayer-webhook.ts`,
    outfile: "dist/netlify/commercelayer-webhook.mjs",
    title:
      "Netlify function (v2), path /webhooks/commercelayer, deferred handlers handed to the background function: export default + config",
    exports: ["config", "default"],
    minifiedBudget: WITH_HAND_OFF_BUDGET,
  },
  {
    entry: `${P}/netlify/commercelayer-webhook-legacy.ts`,
    outfile: "dist/netlify/commercelayer-webhook-legacy.mjs",
    title:
      "Netlify function (legacy v1, Lambda-compatible), deferred handlers handed to the background function: export `handler`",
    exports: ["handler"],
    minifiedBudget: WITH_HAND_OFF_BUDGET,
  },
  {
    entry: `${P}/netlify/commercelayer-webhook-worker-background.ts`,
    outfile: "dist/netlify/commercelayer-webhook-worker-background.mjs",
    title: "Netlify background function running the deferred handlers: export default",
    exports: ["default"],
  },
  {
    entry: `${P}/aws-lambda/factory.ts`,
    outfile: "dist/factories/aws-lambda/commercelayer-webhook-factory.mjs",
    title: "AWS Lambda factory: createLambdaWebhookHandler(yourHandlers, options)",
    exports: ["createLambdaWebhookHandler", ...FACTORY_EXPORTS],
    declarations: true,
  },
  {
    entry: `${P}/aws-lambda/queue.ts`,
    outfile: "dist/factories/aws-lambda/commercelayer-webhook-queue.mjs",
    title:
      "AWS Lambda deferred handlers on SQS: createSqsHandOff(), createLambdaWebhookWorker(yourHandlers) (imports @aws-sdk/client-sqs, which the Lambda Node.js runtime provides)",
    exports: [
      "QUEUE_URL_ENV",
      "SQS_MAX_MESSAGE_BYTES",
      "createLambdaWebhookWorker",
      "createSqsHandOff",
      "deferred",
      "withHandOff",
    ],
    declarations: true,
    external: ["@aws-sdk/client-sqs"],
  },
  {
    entry: `${P}/aws-lambda/dynamodb-claim-store.ts`,
    outfile: "dist/factories/aws-lambda/dynamodb-claim-store.mjs",
    title:
      "duplicate suppression on DynamoDB: createDynamoDbClaimStore({ tableName }) (imports @aws-sdk/client-dynamodb, which the Lambda Node.js runtime provides)",
    exports: ["createDynamoDbClaimStore"],
    declarations: true,
    external: ["@aws-sdk/client-dynamodb"],
  },
  {
    entry: `${P}/vercel/factory.ts`,
    outfile: "dist/factories/vercel/commercelayer-webhook-factory.mjs",
    title: "Vercel / Next.js factory: createVercelWebhookHandler(yourHandlers, options), a Web POST(request)",
    exports: ["createVercelWebhookHandler", ...FACTORY_EXPORTS],
    declarations: true,
  },
  {
    entry: `${P}/node/factory.ts`,
    outfile: "dist/factories/node/commercelayer-webhook-factory.mjs",
    title:
      "Node factory: createNodeWebhookHandler(yourHandlers, options), a (req, res) handler for Express, node:http, Next.js pages router",
    exports: ["createNodeWebhookHandler", ...FACTORY_EXPORTS],
    declarations: true,
  },
  {
    entry: `${P}/vercel/queue.ts`,
    outfile: "dist/factories/vercel/commercelayer-webhook-queue.mjs",
    title:
      "Vercel deferred handlers: createWaitUntilHandOff(yourHandlers) (best effort), createVercelWebhookWorker(yourHandlers) for a durable queue (imports @vercel/functions: npm install @vercel/functions)",
    exports: ["createVercelWebhookWorker", "createWaitUntilHandOff", "deferred", "toQueuedDelivery", "withHandOff"],
    declarations: true,
    external: ["@vercel/functions"],
  },
  {
    entry: `${P}/vercel/redis-claim-store.ts`,
    outfile: "dist/factories/vercel/redis-claim-store.mjs",
    title: "duplicate suppression on Redis: createRedisClaimStore({ url }) (imports `redis`: npm install redis)",
    exports: ["createRedisClaimStore"],
    declarations: true,
    external: ["redis"],
  },
  {
    entry: `${P}/edge/factory.ts`,
    outfile: "dist/factories/edge/commercelayer-webhook-factory.mjs",
    title:
      "edge factory: createEdgeWebhookHandler(yourHandlers, options), a Web (request, context?) => Response on Web Crypto, for Vercel / Next.js Edge, Netlify Edge, Cloudflare Workers, Deno, Bun",
    exports: ["createEdgeWebhookHandler", ...FACTORY_EXPORTS],
    declarations: true,
    runtime: "web",
  },
  {
    entry: `${P}/netlify/factory.ts`,
    outfile: "dist/factories/netlify/commercelayer-webhook-factory.mjs",
    title: "Netlify factory: createNetlifyWebhookHandler(yourHandlers, options), a v2 function",
    exports: ["createNetlifyWebhookHandler", ...FACTORY_EXPORTS],
    declarations: true,
  },
  {
    entry: `${P}/netlify/legacy-factory.ts`,
    outfile: "dist/factories/netlify/commercelayer-webhook-legacy-factory.mjs",
    title: "Netlify legacy factory: createNetlifyLegacyWebhookHandler(yourHandlers, options), a v1 function",
    exports: ["createNetlifyLegacyWebhookHandler", ...FACTORY_EXPORTS],
    declarations: true,
  },
  {
    entry: `${P}/netlify/queue.ts`,
    outfile: "dist/factories/netlify/commercelayer-webhook-queue.mjs",
    title:
      "Netlify deferred handlers: createBackgroundHandOff() and createNetlifyWebhookWorker(yourHandlers) for the background function",
    exports: ["WORKER_FUNCTION", "createBackgroundHandOff", "createNetlifyWebhookWorker", "deferred", "withHandOff"],
    declarations: true,
  },
  {
    entry: `${P}/netlify/blobs-claim-store.ts`,
    outfile: "dist/factories/netlify/blobs-claim-store.mjs",
    title:
      "duplicate suppression on Netlify Blobs: createBlobsClaimStore() (imports @netlify/blobs: npm install @netlify/blobs)",
    exports: ["createBlobsClaimStore"],
    declarations: true,
    external: ["@netlify/blobs"],
  },
  ...EXTERNAL_FACTORIES,
  ...EXTERNAL_DEPLOYABLES,
];

export const ENV_BANNER = [
  "Environment variables:",
  "  COMMERCELAYER_WEBHOOK_SECRET         required; the webhook's shared secret (several: comma-separated)",
  "  COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES optional; largest body accepted, default 5242880 (5 MiB)",
  "  COMMERCELAYER_WEBHOOK_BUDGET_MS      optional; handler time before a delivery is logged at_risk, default 4000",
];
