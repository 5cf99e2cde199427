// What the server-set attributes of a webhook or an external resource become: after a call out (the circuit
// breaker), and on a trigger (`_disable`, `_enable`, `_reset_circuit`, `_regenerate_shared_secret`).
import { CIRCUIT_BREAKER_FAILURES } from "../../../shared/core/commerce-layer.ts";
import { kindOf } from "./kinds.ts";
import { newSharedSecret, type StoredResource, timestamp } from "./store.ts";

export function isCircuitOpen(record: StoredResource): boolean {
  return record.attributes.circuit_state === "open";
}

export function isDisabled(record: StoredResource): boolean {
  const disabledAt = record.attributes.disabled_at;
  return disabledAt !== null && disabledAt !== undefined;
}

/**
 * Counts a call's outcome on the resource's circuit: a success zeroes the failures, a failure adds one, and the
 * circuit opens at the 30th in a row (then nothing is called until `_reset_circuit`). The counters are not
 * `updated_at` changes: Commerce Layer's documents do not say they are, and a client comparing `updated_at` would
 * otherwise see every delivery as an edit.
 */
export function recordCallOutcome(record: StoredResource, ok: boolean): void {
  if (!kindOf(record.type)?.circuit) return;
  if (ok) {
    record.attributes.circuit_failure_count = 0;
    return;
  }
  const failures = Number(record.attributes.circuit_failure_count ?? 0) + 1;
  record.attributes.circuit_failure_count = failures;
  if (failures >= CIRCUIT_BREAKER_FAILURES) record.attributes.circuit_state = "open";
}

/** Applies one trigger other than an event's `_trigger` (which delivers, see deliveries.ts). */
export function applyTrigger(record: StoredResource, trigger: string): void {
  const attributes = record.attributes;
  switch (trigger) {
    case "_disable":
      attributes.disabled_at ??= timestamp();
      break;
    case "_enable":
      attributes.disabled_at = null;
      break;
    case "_reset_circuit":
      attributes.circuit_state = "closed";
      attributes.circuit_failure_count = 0;
      break;
    // Undocumented (the API's field metadata lists it, the SDK's types do not): a new secret like the first one,
    // the circuit untouched; deliveries from then on are signed with the new secret, retries of older ones too.
    case "_regenerate_shared_secret":
      attributes.shared_secret = newSharedSecret();
      break;
    default:
      throw new Error(`no trigger ${trigger}`);
  }
}
