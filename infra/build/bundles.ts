// The bundles `npm run build` writes: one self-contained ESM file per entry point under functions/, at the same path
// under dist/ (functions/vercel/commercelayer-webhook.ts → dist/vercel/commercelayer-webhook.mjs). What a file exports
// is stated once, in its entry file; the suites read it from the built file.
import { EXTERNAL_KIND_NAMES, EXTERNAL_KINDS } from "../../shared/external/kinds.ts";

export interface BundleSpec {
  /** Source entry point, relative to the repository root: a file under functions/. */
  readonly entry: string;
  /** Output file, relative to the repository root: the entry's path under dist/ (outfileOf), never stated twice. */
  readonly outfile: string;
  /** What the file is, for its banner. */
  readonly title: string;
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

type EntrySpec = Omit<BundleSpec, "outfile">;

/**
 * Size allowed, minified, for a file a user copies (a factory, a queue, a deduplication store): small enough to read
 * whole. 9 KB since the rejection log lines carry hints (which check failed, how many bytes arrived); it was 8 KB.
 * 10.5 KB since webhook secrets may be bound to topics (shared/core/topic-secrets.ts: the variable's parser, the
 * refusal of an unbound topic before hashing, and the search that names a swapped topic), which measured 1.5 KB.
 */
export const COPIED_FILE_BUDGET = 10.5 * 1024;

/**
 * The Netlify background worker and the queue file that carries it: served by the one Web adapter (headers read in
 * any case, the Response built by it) rather than by a reader of its own.
 */
const NETLIFY_WORKER_BUDGET = COPIED_FILE_BUDGET + 512;

/**
 * What a bundle that answers external resources lists in its banner: one secret variable per Commerce Layer resource
 * that holds one (shared/external/kinds.ts), never the webhook's.
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

/** The external-resource factory of each platform: `create<Platform>ExternalHandler(yourHandlers, options)`. */
const EXTERNAL_FACTORIES: readonly EntrySpec[] = (
  [
    ["vercel", "createVercelExternalHandler", "a Web POST(request)"],
    ["node", "createNodeExternalHandler", "a (req, res) handler"],
    ["aws-lambda", "createLambdaExternalHandler", "a Lambda handler for every HTTP event source"],
    ["netlify", "createNetlifyExternalHandler", "a v2 function (createNetlifyLegacyExternalHandler: v1)"],
    ["edge", "createEdgeExternalHandler", "a Web handler on Web Crypto"],
  ] as const
).map(([platform, create, what]) => ({
  entry: `functions/factories/${platform}/commercelayer-external-factory.ts`,
  title: `external resources (payment gateway, tax calculator, prices, shipping costs, order validation, promotion): ${create}(yourHandlers, options), ${what}`,
  declarations: true,
  envBanner: EXTERNAL_ENV_BANNER,
  minifiedBudget: EXTERNAL_BUDGET,
  ...(platform === "edge" ? { runtime: "web" as const } : {}),
}));

const F = "functions";
const FACTORIES = "functions/factories";

/** The external-resource deployables, built from functions/external.ts when it implements a kind. */
const EXTERNAL_DEPLOYABLES: readonly EntrySpec[] = [
  {
    entry: `${F}/aws-lambda/commercelayer-external.ts`,
    title:
      "AWS Lambda handler for external resources, one HTTP API route per kind functions/external.ts implements: export `handler`",
    externalDeployable: "routed",
    envBanner: EXTERNAL_ENV_BANNER,
    minifiedBudget: EXTERNAL_BUDGET,
  },
  {
    entry: `${F}/vercel/commercelayer-external.ts`,
    title:
      "Vercel function for external resources, in .vercel/output once per kind functions/external.ts implements: export `POST(request)`",
    externalDeployable: "routed",
    envBanner: EXTERNAL_ENV_BANNER,
    minifiedBudget: EXTERNAL_BUDGET,
  },
  {
    entry: `${F}/netlify/commercelayer-external.ts`,
    title:
      "Netlify function (v2) for external resources, `config.path` one per kind functions/external.ts implements: export default + config",
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

const ENTRIES: readonly EntrySpec[] = [
  {
    entry: `${F}/aws-lambda/commercelayer-webhook.ts`,
    title:
      "AWS Lambda handler (API Gateway REST and HTTP API, Function URL, ALB), deferred handlers handed to SQS (COMMERCELAYER_WEBHOOK_QUEUE_URL): export `handler`",
    external: ["@aws-sdk/client-sqs"],
    // The receiver plus the SQS hand-off (deferred routing, the send).
    minifiedBudget: WITH_HAND_OFF_BUDGET,
  },
  {
    entry: `${F}/aws-lambda/commercelayer-webhook-worker.ts`,
    title: "AWS Lambda worker: SQS event source, runs the deferred handlers: export `handler`",
  },
  {
    entry: `${F}/vercel/commercelayer-webhook.ts`,
    title:
      "Vercel function / Next.js App Router route file, deferred handlers run in waitUntil: export `POST(request)`",
    alias: WAIT_UNTIL_ONLY,
    // The receiver plus the waitUntil hand-off (and @vercel/functions' waitUntil, inlined: Vercel's prebuilt output
    // has no node_modules).
    minifiedBudget: WITH_HAND_OFF_BUDGET,
  },
  {
    entry: `${F}/vercel/commercelayer-webhook-node.ts`,
    title:
      "Node `(req, res)` handler: Next.js pages-router API route, Vercel Node function, any Node server; deferred handlers run in waitUntil",
    alias: WAIT_UNTIL_ONLY,
    minifiedBudget: WITH_HAND_OFF_BUDGET,
  },
  {
    entry: `${F}/netlify/commercelayer-webhook.ts`,
    title:
      "Netlify function (v2), path /webhooks/commercelayer, deferred handlers handed to the background function: export default + config",
    minifiedBudget: WITH_HAND_OFF_BUDGET,
  },
  {
    entry: `${F}/netlify/commercelayer-webhook-legacy.ts`,
    title:
      "Netlify function (legacy v1, Lambda-compatible), deferred handlers handed to the background function: export `handler`",
    minifiedBudget: WITH_HAND_OFF_BUDGET,
  },
  {
    entry: `${F}/netlify/commercelayer-webhook-worker-background.ts`,
    minifiedBudget: NETLIFY_WORKER_BUDGET,
    title: "Netlify background function running the deferred handlers: export default",
  },
  {
    entry: `${FACTORIES}/aws-lambda/commercelayer-webhook-factory.ts`,
    title: "AWS Lambda factory: createLambdaWebhookHandler(yourHandlers, options)",
    declarations: true,
  },
  {
    entry: `${FACTORIES}/aws-lambda/commercelayer-webhook-queue.ts`,
    title:
      "AWS Lambda deferred handlers on SQS: createSqsHandOff(), createLambdaWebhookWorker(yourHandlers) (imports @aws-sdk/client-sqs, which the Lambda Node.js runtime provides)",
    declarations: true,
    external: ["@aws-sdk/client-sqs"],
  },
  {
    entry: `${FACTORIES}/aws-lambda/dynamodb-deduplication-store.ts`,
    title:
      "deduplication on DynamoDB: createDynamoDbDeduplicationStore({ tableName }) (imports @aws-sdk/client-dynamodb, which the Lambda Node.js runtime provides)",
    declarations: true,
    external: ["@aws-sdk/client-dynamodb"],
  },
  {
    entry: `${FACTORIES}/vercel/commercelayer-webhook-factory.ts`,
    title: "Vercel / Next.js factory: createVercelWebhookHandler(yourHandlers, options), a Web POST(request)",
    declarations: true,
  },
  {
    entry: `${FACTORIES}/node/commercelayer-webhook-factory.ts`,
    title:
      "Node factory: createNodeWebhookHandler(yourHandlers, options), a (req, res) handler for Express, node:http, Next.js pages router",
    declarations: true,
  },
  {
    entry: `${FACTORIES}/vercel/commercelayer-webhook-queue.ts`,
    title:
      "Vercel deferred handlers: createWaitUntilHandOff(yourHandlers) (best effort), createVercelWebhookWorker(yourHandlers) for a durable queue (imports @vercel/functions: npm install @vercel/functions)",
    declarations: true,
    external: ["@vercel/functions"],
  },
  {
    entry: `${FACTORIES}/vercel/redis-deduplication-store.ts`,
    title: "deduplication on Redis: createRedisDeduplicationStore({ url }) (imports `redis`: npm install redis)",
    declarations: true,
    external: ["redis"],
  },
  {
    entry: `${FACTORIES}/edge/commercelayer-webhook-factory.ts`,
    title:
      "edge factory: createEdgeWebhookHandler(yourHandlers, options), a Web (request, context?) => Response on Web Crypto, for Vercel / Next.js Edge, Netlify Edge, Cloudflare Workers, Deno, Bun",
    declarations: true,
    runtime: "web",
  },
  {
    entry: `${FACTORIES}/netlify/commercelayer-webhook-factory.ts`,
    title: "Netlify factory: createNetlifyWebhookHandler(yourHandlers, options), a v2 function",
    declarations: true,
  },
  {
    entry: `${FACTORIES}/netlify/commercelayer-webhook-legacy-factory.ts`,
    title: "Netlify legacy factory: createNetlifyLegacyWebhookHandler(yourHandlers, options), a v1 function",
    declarations: true,
  },
  {
    entry: `${FACTORIES}/netlify/commercelayer-webhook-queue.ts`,
    minifiedBudget: NETLIFY_WORKER_BUDGET,
    title:
      "Netlify deferred handlers: createBackgroundHandOff() and createNetlifyWebhookWorker(yourHandlers) for the background function",
    declarations: true,
  },
  {
    entry: `${FACTORIES}/netlify/blobs-deduplication-store.ts`,
    title:
      "deduplication on Netlify Blobs: createBlobsDeduplicationStore() (imports @netlify/blobs: npm install @netlify/blobs)",
    declarations: true,
    external: ["@netlify/blobs"],
  },
  ...EXTERNAL_FACTORIES,
  ...EXTERNAL_DEPLOYABLES,
];

/** Where an entry under functions/ is built: the same path under dist/, as an ES module. */
export function outfileOf(entry: string): string {
  if (!entry.startsWith("functions/") || !entry.endsWith(".ts"))
    throw new Error(`not an entry under functions/: ${entry}`);
  return `dist/${entry.slice("functions/".length, -".ts".length)}.mjs`;
}

export const BUNDLES: readonly BundleSpec[] = ENTRIES.map((spec) => ({ ...spec, outfile: outfileOf(spec.entry) }));

export const ENV_BANNER = [
  "Environment variables:",
  "  COMMERCELAYER_WEBHOOK_SECRET         required; the webhook's shared secret (several: comma-separated)",
  "  COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES optional; largest body accepted, default 5242880 (5 MiB)",
  "  COMMERCELAYER_WEBHOOK_BUDGET_MS      optional; handler time before a delivery is logged at_risk, default 4000",
];
