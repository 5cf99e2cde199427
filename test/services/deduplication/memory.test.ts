// The in-memory store (shared/webhooks/deduplication.ts) against the shared behaviour suite: the reference the durable ones match.
import { createMemoryDeduplicationStore, type DeduplicationStore } from "../../../shared/webhooks/deduplication.ts";
import { describeDeduplicationStore } from "./deduplication-store-suite.ts";

// One process's memory is one store: every "instance" shares it, as every request on one warm instance does.
const shared: DeduplicationStore = createMemoryDeduplicationStore();

describeDeduplicationStore("memory", () => ({ create: () => shared, expirySlackMs: 0 }), false);
