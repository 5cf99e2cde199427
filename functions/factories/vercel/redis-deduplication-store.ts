// Deduplication on Redis, for your handlers file's `deduplicate` option. Built to
// dist/factories/vercel/redis-deduplication-store.mjs, with types; imports `redis` (npm install redis).
export * from "../../../shared/node/vercel/redis-deduplication-store.ts";
