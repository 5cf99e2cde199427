// The external-resource handlers the benchmarks serve instead of functions/external.ts: two kinds answered at once
// from the request, so that the figures measure the receiver (verification, parsing, the included lookups, the answer
// document), not business logic.
import { defineExternalHandlers } from "../../shared/external/handlers-file.ts";

export const externalHandlers = defineExternalHandlers({
  "tax-calculator": () => ({ taxRate: 0.22 }),
  "payment-gateway/authorize": (event) => ({
    transactionToken: `bench_${event.id}`,
    amountCents: Number(event.relatedOne("order")?.attributes?.total_amount_with_taxes_cents ?? 0),
  }),
});
