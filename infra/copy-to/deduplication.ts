// `--deduplicate <engine>`: the store file to copy, the store the handler file passes as its `deduplicate` option, and
// what the user must provide (a table, a package, a variable). Which engines a platform can use: DynamoDB and Redis
// from any Node runtime (the SDK installed where the runtime has none), Netlify Blobs on Netlify, memory anywhere.
import { type CopiedModule, MEMORY_STORE } from "./copied-files.ts";
import type { Project } from "./detect.ts";
import type { Target } from "./targets.ts";

export const STORE_ENGINES = ["dynamodb", "redis", "blobs", "memory"] as const;
export type StoreEngine = (typeof STORE_ENGINES)[number];

/** The DynamoDB table the generated store names. */
export const CLAIMS_TABLE = "commercelayer-webhook-claims";

export interface StoreWiring {
  readonly module: CopiedModule;
  /** The function the handler file imports from the store file. */
  readonly create: string;
  /** The store, as the handler file creates it. */
  readonly store: string;
  /** What to set up, printed among the next steps. */
  readonly steps: readonly string[];
  /** Variables for the environment example. */
  readonly env?: readonly { readonly name: string; readonly comment: string }[];
}

export type StoreChoice = { readonly wiring: StoreWiring } | { readonly refused: string };

export function storeWiringFor(engine: string, project: Project, target: Target): StoreChoice {
  if (!(STORE_ENGINES as readonly string[]).includes(engine))
    return {
      refused: `--deduplicate ${engine}: not a store this command copies; name one of ${STORE_ENGINES.join(", ")}`,
    };
  if (target.factory === "edge" && engine !== "memory")
    return {
      refused: `--deduplicate ${engine}: its client needs Node, not an edge runtime; drop --edge, or use memory`,
    };
  const lambda = target.factory === "aws-lambda";
  switch (engine as StoreEngine) {
    case "memory":
      return {
        wiring: {
          module: { folder: undefined, name: MEMORY_STORE },
          create: "createMemoryDeduplicationStore",
          store: "createMemoryDeduplicationStore()",
          steps: [
            "deduplication in memory holds for one warm instance only: a duplicate that reaches another one runs again (--deduplicate dynamodb, redis or blobs share it)",
          ],
        },
      };
    case "dynamodb":
      return {
        wiring: {
          module: { folder: "aws-lambda", name: "dynamodb-deduplication-store" },
          create: "createDynamoDbDeduplicationStore",
          store: `createDynamoDbDeduplicationStore({ tableName: ${JSON.stringify(CLAIMS_TABLE)} })`,
          steps: [
            `create the DynamoDB table ${CLAIMS_TABLE} (partition key pk, String; TTL on expiresAt) and allow dynamodb:PutItem and dynamodb:DeleteItem on it`,
            lambda
              ? "the Lambda runtime has @aws-sdk/client-dynamodb; to load the handler locally (serverless invoke local, serverless-offline): npm install -D @aws-sdk/client-dynamodb"
              : "npm install @aws-sdk/client-dynamodb (and AWS credentials in the environment)",
          ],
        },
      };
    case "redis":
      return {
        wiring: {
          module: { folder: "vercel", name: "redis-deduplication-store" },
          create: "createRedisDeduplicationStore",
          store: 'createRedisDeduplicationStore({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" })',
          steps: ["npm install redis, and set REDIS_URL (Vercel Marketplace Redis sets it; rediss:// works)"],
          env: [
            { name: "REDIS_URL", comment: "The Redis the webhook deduplication claims go to (redis:// or rediss://)" },
          ],
        },
      };
    case "blobs":
      if (project.kind !== "netlify")
        return {
          refused: `--deduplicate blobs: Netlify Blobs is for a Netlify site; on this ${project.kind} project use redis, dynamodb or memory`,
        };
      return {
        wiring: {
          module: { folder: "netlify", name: "blobs-deduplication-store" },
          create: "createBlobsDeduplicationStore",
          store: "createBlobsDeduplicationStore()",
          steps: ["npm install @netlify/blobs (the store Netlify gives the site; netlify dev serves a local one)"],
        },
      };
  }
}
