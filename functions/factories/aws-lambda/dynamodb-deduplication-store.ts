// Deduplication on DynamoDB, for your handlers file's `deduplicate` option. Built to
// dist/factories/aws-lambda/dynamodb-deduplication-store.mjs, with types; imports @aws-sdk/client-dynamodb, which the
// Lambda Node.js runtime provides.
export * from "../../../shared/node/aws-lambda/dynamodb-deduplication-store.ts";
