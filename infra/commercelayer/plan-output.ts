// A plan as people read it: one line per webhook to create, update (field by field) or delete, then what stays, what
// is not managed here, and the notes. `apply` prints the same lines as it makes each change.
import { listed, say } from "./output.ts";
import { isEmpty, type Listed, type Plan, type PlannedCreate, type PlannedDelete, type PlannedUpdate } from "./plan.ts";

export function createLine(create: PlannedCreate, id?: string): string {
  const what =
    create.reason === "rotation"
      ? "a second webhook with a new secret, for the rotation"
      : `include_resources: ${listed(create.include_resources)}`;
  return id === undefined
    ? `  + create ${create.topic} (${what}; created disabled)`
    : `  + created ${create.topic} ${id} (${what}; disabled)`;
}

export function updateLines(update: PlannedUpdate, done = false): string[] {
  return [
    `  ~ ${done ? "updated" : "update"} ${update.topic} ${update.id}`,
    ...update.changes.map(({ field, from, to }) => `      ${field}: ${listed(from)} -> ${listed(to)}`),
  ];
}

export function deleteLine(planned: PlannedDelete, done = false): string {
  return `  - ${done ? "deleted" : "delete"} ${planned.topic} ${planned.id}: ${planned.reason}`;
}

function topics(webhooks: readonly Listed[]): string {
  return webhooks.map(({ topic }) => topic).join(", ");
}

/** What is left as it is: the unchanged managed webhooks, those not managed here, and the notes. */
export function printRest(plan: Plan): void {
  if (plan.unchanged.length > 0) say(`  = unchanged (${plan.unchanged.length}): ${topics(plan.unchanged)}`);
  if (plan.unmanaged.length > 0) {
    say(`not managed, left alone (${plan.unmanaged.length}):`);
    for (const { topic, id, callback_url } of plan.unmanaged) say(`    ${topic} ${id} -> ${callback_url}`);
  }
  for (const note of plan.notes) say(`note: ${note}`);
}

export function printPlan(plan: Plan): void {
  say(`Commerce Layer webhooks for ${plan.url}:`);
  for (const create of plan.create) say(createLine(create));
  for (const update of plan.update) for (const line of updateLines(update)) say(line);
  for (const planned of plan.delete) say(deleteLine(planned));
  printRest(plan);
  say(
    isEmpty(plan)
      ? "No changes: Commerce Layer matches the handlers file."
      : `Plan: ${plan.create.length} to create, ${plan.update.length} to update, ${plan.delete.length} to delete.`,
  );
}
