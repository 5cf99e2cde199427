// The in-memory store (shared/delivery-claims.ts) against the shared behaviour suite: the reference the durable ones match.
import { createMemoryClaimStore, type DeliveryClaimStore } from "../../../src/core/claims.ts";
import { describeClaimStore } from "./claim-store-suite.ts";

// One process's memory is one store: every "instance" shares it, as every request on one warm instance does.
const shared: DeliveryClaimStore = createMemoryClaimStore();

describeClaimStore("memory", () => ({ create: () => shared, expirySlackMs: 0 }), false);
