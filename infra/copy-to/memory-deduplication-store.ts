// What `--deduplicate memory` copies, bundled by copied-files.ts: the template's own in-memory store, which no file of
// dist/factories/ exports.
export { createMemoryDeduplicationStore } from "../../shared/webhooks/deduplication.ts";
