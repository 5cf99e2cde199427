// `status`, for the external resources: each attached resource's URL fields of its kinds, its circuit and consecutive
// failures (markets have none), and what needs someone: an open circuit, a URL not set or not the deployment's, a
// shipping method whose scheme makes Commerce Layer ignore its URL.
import { EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { isCircuitOpen, isDisabled, kindUrl, schemeProblem } from "./external-plan.ts";
import { type AttachedResource, nameOf, textOf } from "./external-resources.ts";
import { listed, say } from "./output.ts";

export interface ExternalStatus {
  readonly type: string;
  readonly id: string;
  readonly name: string;
  readonly kinds: readonly ExternalKind[];
  readonly urls: Readonly<Record<string, string | null>>;
  /** Null for a resource without a circuit (markets). */
  readonly circuit_state: string | null;
  readonly circuit_failure_count: number | null;
  readonly disabled: boolean;
  readonly problems: readonly string[];
}

function statusOf(resource: AttachedResource, url: string | undefined): ExternalStatus {
  const problems: string[] = [];
  if (isCircuitOpen(resource)) problems.push("circuit open: fix the handler, then run reset");
  const urls: Record<string, string | null> = {};
  for (const kind of resource.kinds) {
    const field = EXTERNAL_KINDS[kind].urlAttribute;
    const value = textOf(resource.attributes[field]);
    urls[field] = value;
    if (value === null) problems.push(`${field} is not set: run enable`);
    else if (url !== undefined && value !== kindUrl(url, kind)) {
      problems.push(`${field} is not ${kindUrl(url, kind)}: run plan, then enable`);
    }
  }
  const scheme = schemeProblem(resource);
  if (scheme !== undefined) problems.push(scheme);
  const state = resource.attributes.circuit_state;
  const failures = resource.attributes.circuit_failure_count;
  return {
    type: resource.type,
    id: resource.id,
    name: resource.name,
    kinds: resource.kinds,
    urls,
    circuit_state: typeof state === "string" ? state : null,
    circuit_failure_count: typeof failures === "number" ? failures : state === undefined ? null : 0,
    disabled: isDisabled(resource),
    problems,
  };
}

export function externalStatuses(attached: readonly AttachedResource[], url: string | undefined): ExternalStatus[] {
  return attached.map((resource) => statusOf(resource, url));
}

export function printExternalStatus(rows: readonly ExternalStatus[]): void {
  for (const row of rows) {
    const circuit =
      row.circuit_state === null
        ? `no circuit (${row.type} have none)`
        : `circuit ${row.circuit_state} (${row.circuit_failure_count ?? 0} failures)`;
    const urls = Object.entries(row.urls).map(([field, value]) => `${field}: ${listed(value)}`);
    say(`${nameOf(row)} (${row.kinds.join(", ")})${row.disabled ? ", disabled in Commerce Layer" : ""}`);
    say(`    ${[circuit, ...urls].join(", ")}`);
    for (const problem of row.problems) say(`    problem: ${problem}`);
  }
  if (rows.length === 0) return;
  const problems = rows.reduce((total, row) => total + row.problems.length, 0);
  say(
    problems === 0
      ? `All ${rows.length} attached external resources are healthy.`
      : `${problems} problem(s) on the attached external resources.`,
  );
}
