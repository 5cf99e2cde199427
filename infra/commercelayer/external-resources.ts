// The Commerce Layer resources the attachments name, found by id or by name and read as they are (URL fields, secret,
// circuit), and the only two writes the command ever makes to one: its URL fields (enable) and `_reset_circuit`
// (reset). A resource the attachments do not name is never read, let alone written.

import { CommerceLayerStatic, type ListResponse, type Resource } from "@commercelayer/sdk";
import { API_MAX_PAGE_SIZE } from "../../shared/core/commerce-layer.ts";
import type { ResourceRef } from "../../shared/external/attachments.ts";
import { EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { type Client, listAll } from "./client.ts";
import { ConfigProblem } from "./config.ts";
import type { Attachment } from "./external-attachments.ts";
import { describeFault, Fault, step } from "./faults.ts";
import { keepSecret } from "./output.ts";

/** The resource types that hold a kind's URL and secret. */
export type Holder = (typeof EXTERNAL_KINDS)[ExternalKind]["holder"];

type Attributes = Readonly<Record<string, unknown>>;

/** A resource one or more attached kinds call from, as read. */
export interface AttachedResource {
  readonly type: Holder;
  readonly id: string;
  readonly name: string;
  readonly attributes: Attributes;
  /** The kinds attached to it, in the kinds' order. */
  readonly kinds: readonly ExternalKind[];
}

type Read = Resource & Attributes;

/** What the command calls on each holder's SDK resource (the five share these methods). */
interface HolderApi {
  retrieve(id: string): Promise<Read>;
  list(params: { filters: Record<string, string>; pageSize: number; pageNumber: number }): Promise<ListResponse<Read>>;
  update(resource: { readonly id: string } & Record<string, unknown>): Promise<Read>;
  _reset_circuit(id: string): Promise<Read>;
}

const holderApi = (cl: Client, type: Holder): HolderApi => cl[type] as unknown as HolderApi;

/** `external_tax_calculators taxCalc001 "Taxes"`: how lines name a resource. */
export function nameOf(resource: { readonly type: string; readonly id: string; readonly name: string }): string {
  return `${resource.type} ${resource.id}${resource.name ? ` "${resource.name}"` : ""}`;
}

export const textOf = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

const refText = (ref: ResourceRef) => (ref.id !== undefined ? ref.id : `named "${ref.name}"`);

const isNotFound = (error: unknown) => CommerceLayerStatic.isApiError(error) && Number(error.status) === 404;

/** The resource a reference names, or the problem: none, or (by name) more than one. */
async function find(cl: Client, type: Holder, ref: ResourceRef): Promise<Read | string> {
  const api = holderApi(cl, type);
  if (ref.id !== undefined) {
    try {
      return await api.retrieve(ref.id);
    } catch (error) {
      if (isNotFound(error)) return `no ${type} ${ref.id} in Commerce Layer`;
      throw new Fault(`read ${type} ${ref.id}: ${describeFault(error)}`);
    }
  }
  const name = ref.name;
  const listed = await step(`find the ${type} named "${name}"`, () =>
    listAll((pageNumber) => api.list({ filters: { name_eq: name }, pageSize: API_MAX_PAGE_SIZE, pageNumber })),
  );
  const named = listed.filter((resource) => resource.name === name);
  if (named.length === 0) return `no ${type} is named "${name}" in Commerce Layer`;
  if (named.length > 1) {
    return `${named.length} ${type} are named "${name}" (${named.map(({ id }) => id).join(", ")}): attach it by id`;
  }
  const [found] = named as [Read];
  // A list may leave the secret out; a read of the resource has it.
  return textOf(found.shared_secret) === null ? step(`read ${type} ${found.id}`, () => api.retrieve(found.id)) : found;
}

/**
 * The attached resources, each once with every kind attached to it, in the order they were first named. A reference
 * that finds nothing (or, by name, more than one) stops the run with every such problem in one line.
 */
export async function readAttached(
  cl: Client,
  attachments: readonly Attachment[],
  attachmentsFile: string,
): Promise<AttachedResource[]> {
  const byId = new Map<string, { read: Read; type: Holder; kinds: ExternalKind[] }>();
  const problems: string[] = [];
  const found = new Map<string, Read | string>();
  for (const { kind, ref } of attachments) {
    const type = EXTERNAL_KINDS[kind].holder;
    // One lookup per reference, whichever kinds name it (a name cannot hold a newline, so it never looks like an id).
    const key = `${type} ${ref.id ?? `\n${ref.name}`}`;
    if (!found.has(key)) found.set(key, await find(cl, type, ref));
    const read = found.get(key) as Read | string;
    if (typeof read === "string") {
      problems.push(`${kind} (${refText(ref)}): ${read}`);
      continue;
    }
    const entry = byId.get(`${type} ${read.id}`) ?? { read, type, kinds: [] };
    if (!entry.kinds.includes(kind)) entry.kinds.push(kind);
    byId.set(`${type} ${read.id}`, entry);
  }
  if (problems.length > 0) {
    throw new ConfigProblem(`${problems.join("; ")} (attached in ${attachmentsFile} or with --attach)`);
  }
  return [...byId.values()].map(({ read, type, kinds }) => {
    keepSecret(textOf(read.shared_secret));
    return { type, id: read.id, name: textOf(read.name) ?? "", attributes: read, kinds };
  });
}

/** Sets these URL fields of the resource, and nothing else. */
export async function updateUrls(cl: Client, resource: AttachedResource, fields: Readonly<Record<string, string>>) {
  await step(`set the URLs of ${nameOf(resource)}`, () =>
    holderApi(cl, resource.type).update({ id: resource.id, ...fields }),
  );
}

export async function resetCircuit(cl: Client, resource: AttachedResource): Promise<void> {
  await step(`reset the circuit of ${nameOf(resource)}`, () =>
    holderApi(cl, resource.type)._reset_circuit(resource.id),
  );
}
