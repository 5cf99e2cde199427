// Delivery claims in a DynamoDB table, for AWS Lambda: one conditional PutItem per claim, one DeleteItem per release.
//
// Why not @aws-lambda-powertools/idempotency: it wraps a whole function (makeIdempotent / Middy), stores INPROGRESS and
// COMPLETED records holding that function's result, and answers a concurrent duplicate by throwing
// IdempotencyAlreadyInProgressError. The receiver needs a bare claim/release between verification and routing, behind
// one contract on three platforms; fitting Powertools in would mean mapping its errors to `false`, storing results
// nobody reads and a Lambda-only pipeline, for what is at heart the conditional write with a TTL below.
//
// The table: partition key `pk` (String), TTL enabled on `expiresAt`; the function needs dynamodb:PutItem and
// dynamodb:DeleteItem on it. DynamoDB's TTL deletes expired items lazily (typically within days, not seconds), so the
// write's condition treats an item whose `expiresAt` has passed as free: TTL only keeps the table small.

import { randomUUID } from "node:crypto";
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { DeduplicationStore } from "../../webhooks/deduplication.ts";

export interface DynamoDbDeduplicationStoreOptions {
  readonly tableName: string;
  /**
   * A client of your own (region, credentials, retries). Default: one client per store, created at the first claim and
   * reused by every later invocation of the warm instance, with short connection and socket timeouts.
   */
  readonly client?: DynamoDBClient;
  /** Longest a claim or a release may take, SDK retries included, before it rejects. Default 1000 ms. */
  readonly timeoutMs?: number;
  /** The clock, in milliseconds; for tests. */
  readonly now?: () => number;
}

/** Attribute names: `pk` is the table's partition key, `expiresAt` the TTL attribute (epoch seconds). */
const KEY = "pk";
const EXPIRES_AT = "expiresAt";
const CLAIM_ID = "claimId";

export function createDynamoDbDeduplicationStore(options: DynamoDbDeduplicationStoreOptions): DeduplicationStore {
  const { tableName, timeoutMs = 1000, now = Date.now } = options;
  let client = options.client;
  const dynamo = () => {
    client ??= new DynamoDBClient({
      // The SDK's standard retries (3 attempts) stay: the claim id below makes a retried write safe to recognise.
      requestHandler: { connectionTimeout: 500, requestTimeout: 800, throwOnRequestTimeout: true },
    });
    return client;
  };

  return {
    async claim(key, ttlSeconds) {
      if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds))
        throw new RangeError(`ttlSeconds must be > 0, not ${ttlSeconds}`);
      const nowSeconds = Math.floor(now() / 1000);
      // Unique per call: if the SDK retries a write whose first attempt did land (its answer was lost), the retry's
      // condition fails on our own item, and DynamoDB hands that item back, so we still know the claim is ours.
      const claimId = randomUUID();
      try {
        await dynamo().send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              [KEY]: { S: key },
              // Whole epoch seconds, as DynamoDB's TTL reads them; a fractional TTL is rounded up.
              [EXPIRES_AT]: { N: String(nowSeconds + Math.ceil(ttlSeconds)) },
              [CLAIM_ID]: { S: claimId },
            },
            // Free when no item exists, or when it has expired and TTL has not deleted it yet. Whole seconds: a claim
            // is held for at least ttlSeconds and less than ttlSeconds + 1.
            ConditionExpression: "attribute_not_exists(#key) OR #expiresAt < :now",
            ExpressionAttributeNames: { "#key": KEY, "#expiresAt": EXPIRES_AT },
            ExpressionAttributeValues: { ":now": { N: String(nowSeconds) } },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
          { abortSignal: AbortSignal.timeout(timeoutMs) },
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return error.Item?.[CLAIM_ID]?.S === claimId;
        throw error;
      }
    },
    async release(key) {
      await dynamo().send(new DeleteItemCommand({ TableName: tableName, Key: { [KEY]: { S: key } } }), {
        abortSignal: AbortSignal.timeout(timeoutMs),
      });
    },
  };
}

function isConditionalCheckFailed(error: unknown): error is ConditionalCheckFailedException {
  // By name as well: a second copy of the SDK (bundled beside the runtime's) has its own class.
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === "ConditionalCheckFailedException")
  );
}
