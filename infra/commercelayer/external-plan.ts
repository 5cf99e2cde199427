// What the attachments mean in Commerce Layer, worked out from the resources as read, with no request of its own: per
// attached resource the URL fields its kinds want (`<external URL>/<kind>`) against what they hold, per secret variable
// the value `apply` writes (the attached resources' secrets, comma-separated, in the order they were named) against
// the env file's, and notes on what the command sees but never changes. `plan` prints it, `apply` writes the secrets,
// `enable` sets the URLs, `status` checks them.
import { EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import type { ExternalSecretEnv } from "../../shared/external/receiver.ts";
import type { ExternalSetup } from "./external-attachments.ts";
import { type AttachedResource, nameOf, textOf } from "./external-resources.ts";

export interface UrlChange {
  readonly field: string;
  readonly from: string | null;
  readonly to: string;
}

export interface PlannedResource {
  readonly type: string;
  readonly id: string;
  readonly name: string;
  readonly kinds: readonly ExternalKind[];
  /** Its kinds' URL fields as they are. */
  readonly urls: Readonly<Record<string, string | null>>;
  /** What enable would set; null when no external URL was given, so nothing could be compared. */
  readonly changes: readonly UrlChange[] | null;
}

export interface PlannedSecret {
  readonly variable: ExternalSecretEnv;
  /** How many resources' secrets it holds. */
  readonly secrets: number;
  /** Whether the env file holds that value already. */
  readonly state: "up to date" | "to write";
}

export interface ExternalPlan {
  /** `--external-url`, without a trailing slash. */
  readonly url: string | undefined;
  readonly handlers: string;
  readonly attachments: string;
  readonly implemented: readonly ExternalKind[];
  readonly resources: readonly PlannedResource[];
  readonly secrets: readonly PlannedSecret[];
  readonly notes: readonly string[];
}

/** A kind's URL under the external prefix: `https://shop.example/api/external` + `/tax-calculator`. */
export const kindUrl = (prefix: string, kind: ExternalKind): string => `${prefix.replace(/\/+$/, "")}/${kind}`;

/** The URL fields a resource's kinds want, field by field. */
function wantedUrls(resource: AttachedResource, prefix: string): Record<string, string> {
  return Object.fromEntries(resource.kinds.map((kind) => [EXTERNAL_KINDS[kind].urlAttribute, kindUrl(prefix, kind)]));
}

export function urlChanges(resource: AttachedResource, prefix: string): UrlChange[] {
  return Object.entries(wantedUrls(resource, prefix))
    .map(([field, to]) => ({ field, from: textOf(resource.attributes[field]), to }))
    .filter(({ from, to }) => from !== to);
}

/** Per variable of the implemented kinds, the attached resources' secrets in the order the resources were named. */
export function secretValues(
  implemented: readonly ExternalKind[],
  attached: readonly AttachedResource[],
): Map<ExternalSecretEnv, string[]> {
  const values = new Map<ExternalSecretEnv, string[]>();
  for (const kind of implemented) values.set(EXTERNAL_KINDS[kind].secretEnv, []);
  for (const resource of attached) {
    const secret = textOf(resource.attributes.shared_secret);
    for (const kind of resource.kinds) {
      const list = values.get(EXTERNAL_KINDS[kind].secretEnv);
      if (secret !== null && list !== undefined && !list.includes(secret)) list.push(secret);
    }
  }
  return values;
}

/**
 * The shipping method's scheme decides whether Commerce Layer calls its external_prices_url at all; the command never
 * changes it (switching it changes what every shipment of that method costs, from the moment it is saved).
 */
export function schemeProblem(resource: AttachedResource): string | undefined {
  if (!resource.kinds.includes("shipping-costs")) return undefined;
  const scheme = textOf(resource.attributes.scheme);
  if (scheme === "external") return undefined;
  return `scheme is ${scheme ?? "not set"}: Commerce Layer calls external_prices_url only when it is external (switch it in the dashboard once the deployment answers; the command never changes it)`;
}

export const isCircuitOpen = (resource: AttachedResource) => resource.attributes.circuit_state === "open";
export const isDisabled = (resource: AttachedResource) => textOf(resource.attributes.disabled_at) !== null;

function notesOf(resource: AttachedResource): string[] {
  const name = nameOf(resource);
  const scheme = schemeProblem(resource);
  return [
    ...(scheme === undefined ? [] : [`${name}: ${scheme}`]),
    ...(isDisabled(resource) ? [`${name} is disabled in Commerce Layer: it calls nothing until it is enabled`] : []),
    ...(isCircuitOpen(resource) ? [`${name}: its circuit is open: it calls nothing until reset`] : []),
  ];
}

export function makeExternalPlan(
  setup: ExternalSetup,
  attached: readonly AttachedResource[],
  url: string | undefined,
  envFileValues: Readonly<Record<string, string | undefined>>,
): ExternalPlan {
  const resources = attached.map((resource) => ({
    type: resource.type,
    id: resource.id,
    name: resource.name,
    kinds: resource.kinds,
    urls: Object.fromEntries(
      resource.kinds.map((kind) => {
        const field = EXTERNAL_KINDS[kind].urlAttribute;
        return [field, textOf(resource.attributes[field])];
      }),
    ),
    changes: url === undefined ? null : urlChanges(resource, url),
  }));
  const secrets = [...secretValues(setup.implemented, attached)].map(([variable, values]) => ({
    variable,
    secrets: values.length,
    state: envFileValues[variable] === values.join(",") ? ("up to date" as const) : ("to write" as const),
  }));
  return {
    url,
    handlers: setup.handlersFile,
    attachments: setup.attachmentsFile,
    implemented: setup.implemented,
    resources,
    secrets,
    notes: attached.flatMap(notesOf),
  };
}
