// `reset`: closes the open circuits of the managed webhooks and of the attached external resources
// (`_reset_circuit`, which also zeroes the failure count). Commerce Layer opens a circuit after
// CIRCUIT_BREAKER_FAILURES failures in a row (shared/core/commerce-layer.ts) and keeps it open until someone resets
// it: fix what made the calls fail first. Closed circuits are left alone; markets have none.
import type { Client } from "./client.ts";
import { isCircuitOpen } from "./external-plan.ts";
import { type AttachedResource, nameOf, resetCircuit } from "./external-resources.ts";
import { step } from "./faults.ts";
import { say, warn } from "./output.ts";
import { managedFor } from "./webhooks.ts";

/** `external` is empty with `--topic`, which limits the run to that topic's webhooks. */
export async function reset(
  cl: Client,
  topic: string | undefined,
  external: readonly AttachedResource[] = [],
): Promise<number> {
  const managed = await managedFor(cl, topic);
  if (managed.length === 0 && external.length === 0) {
    warn(topic === undefined ? "no managed webhooks: run apply first" : `no managed webhook for ${topic}`);
    return 1;
  }
  const open = managed.filter((webhook) => webhook.circuit_state === "open");
  for (const webhook of open) {
    await step(`reset the circuit of the ${webhook.topic} webhook ${webhook.id}`, () =>
      cl.webhooks._reset_circuit(webhook.id),
    );
    say(`  reset ${webhook.topic} ${webhook.id} (had ${webhook.circuit_failure_count ?? "?"} failures)`);
  }
  const openExternal = external.filter(isCircuitOpen);
  for (const resource of openExternal) {
    await resetCircuit(cl, resource);
    const failures = resource.attributes.circuit_failure_count ?? "?";
    say(`  reset ${nameOf(resource)} (${resource.kinds.join(", ")}; had ${failures} failures)`);
  }
  const closed = open.length + openExternal.length;
  say(closed === 0 ? "No open circuit." : `${closed} circuit${closed === 1 ? "" : "s"} closed.`);
  return 0;
}
