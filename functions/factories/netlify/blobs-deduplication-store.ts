// Deduplication on Netlify Blobs, for your handlers file's `deduplicate` option. Built to
// dist/factories/netlify/blobs-deduplication-store.mjs, with types; imports @netlify/blobs (npm install @netlify/blobs).
export * from "../../../shared/node/netlify/blobs-deduplication-store.ts";
