// The external resources' part of a plan as people read it: one block per attached resource with the URL fields
// enable would change (from -> to, so that a URL pointing elsewhere shows before it is replaced), the resources that
// already point where they should, the secret variables apply writes (names and counts, never a value), the notes.

import type { ExternalPlan, PlannedResource, UrlChange } from "./external-plan.ts";
import { nameOf } from "./external-resources.ts";
import { listed, say } from "./output.ts";

type Named = Pick<PlannedResource, "type" | "id" | "name" | "kinds">;

const kindsOf = (resource: Named) => resource.kinds.join(", ");

export function changeLines(resource: Named, changes: readonly UrlChange[], done: boolean): string[] {
  return [
    `  ~ ${done ? "updated" : "update"} ${nameOf(resource)} (${kindsOf(resource)})`,
    ...changes.map(({ field, from, to }) => `      ${field}: ${listed(from)} -> ${to}`),
  ];
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

export function printExternalPlan(plan: ExternalPlan, envFile: string): void {
  say(
    `Commerce Layer external resources${plan.url === undefined ? "" : ` for ${plan.url}`} (${plan.implemented.join(", ")} in ${plan.handlers}, attached in ${plan.attachments}):`,
  );
  const unchanged: PlannedResource[] = [];
  for (const resource of plan.resources) {
    if (resource.changes === null) {
      say(`    ${nameOf(resource)} (${kindsOf(resource)})`);
      for (const [field, value] of Object.entries(resource.urls)) say(`      ${field}: ${listed(value)}`);
    } else if (resource.changes.length === 0) unchanged.push(resource);
    else for (const line of changeLines(resource, resource.changes, false)) say(line);
  }
  if (unchanged.length > 0) {
    say(`  = unchanged (${unchanged.length}): ${unchanged.map((r) => `${nameOf(r)} (${kindsOf(r)})`).join(", ")}`);
  }
  for (const { variable, secrets, state } of plan.secrets) {
    say(
      `  ${variable}: ${count(secrets, "secret")}, ${state === "up to date" ? `up to date in ${envFile}` : `apply writes it to ${envFile}`}`,
    );
  }
  for (const note of plan.notes) say(`note: ${note}`);
}

/** The plan's last line for the external resources. */
export function externalSummary(plan: ExternalPlan): string {
  const toWrite = plan.secrets.filter(({ state }) => state === "to write").length;
  const secrets = toWrite === 0 ? "secrets up to date" : `${count(toWrite, "secret variable")} for apply to write`;
  if (plan.url === undefined) {
    return `External: ${secrets}; URLs not compared: give --external-url <prefix> (e.g. https://<project>.vercel.app/api/external) to see what enable would set.`;
  }
  const toUpdate = plan.resources.filter(({ changes }) => (changes?.length ?? 0) > 0).length;
  return toUpdate === 0 && toWrite === 0
    ? "External: no changes: Commerce Layer and the env file match the attachments."
    : `External: ${secrets}, ${count(toUpdate, "resource")} for enable to update (after apply and a deploy).`;
}
