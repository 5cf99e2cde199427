// JSON:API documents as Commerce Layer writes them, for the API's answers and for deliveries alike: a resource object
// has `links.self`, its attributes, every relationship with `links` (and `data` only when it was included), and
// `meta: { mode, organization_id }`. Also the reading of a request's document.
import { fail } from "./errors.ts";
import { COMMON_ATTRIBUTES, kindOf } from "./kinds.ts";
import type { Relations } from "./relations.ts";
import type { Linkage, RelationshipValue, Store, StoredResource } from "./store.ts";

export interface DocumentContext {
  /** The origin links point at: the stand-in's own, so that every link can be followed. */
  readonly baseUrl: string;
  readonly organizationId: string;
  readonly store: Store;
  readonly relations: Relations;
  /** Sparse fieldsets (`fields[webhooks]=name,topic`): the fields to show, by type. */
  readonly fields?: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface ResourceObject {
  id: string;
  type: string;
  links: { self: string };
  attributes: Record<string, unknown>;
  relationships: Record<string, { links: { self: string; related: string }; data?: RelationshipValue } | null>;
  meta: { mode: "test"; organization_id: string };
}

/** Attributes in the order the kind states them, then any other seeded ones, then the common ones. */
function orderedAttributes(record: StoredResource): Record<string, unknown> {
  const kind = kindOf(record.type);
  const common: readonly string[] = COMMON_ATTRIBUTES;
  const first = kind?.attributes ?? [];
  const names = [
    ...first,
    ...Object.keys(record.attributes).filter((name) => !first.includes(name) && !common.includes(name)),
    ...common,
  ];
  return Object.fromEntries(names.map((name) => [name, record.attributes[name] ?? null]));
}

/** One resource object; `withData` names the relationships whose linkage was included. */
export function resourceObject(
  record: StoredResource,
  context: DocumentContext,
  withData: ReadonlySet<string> = new Set(),
): ResourceObject {
  const self = `${context.baseUrl}/api/${record.type}/${record.id}`;
  const shown = context.fields?.get(record.type);
  const visible = (name: string) => shown === undefined || shown.has(name);
  const attributes = Object.fromEntries(Object.entries(orderedAttributes(record)).filter(([name]) => visible(name)));
  const relationships: ResourceObject["relationships"] = {};
  for (const name of context.relations.names(record)) {
    if (!visible(name)) continue;
    const links = { self: `${self}/relationships/${name}`, related: `${self}/${name}` };
    relationships[name] = withData.has(name)
      ? { links, data: context.relations.linkage(record, name) ?? null }
      : { links };
  }
  return {
    id: record.id,
    type: record.type,
    links: { self },
    attributes,
    relationships,
    meta: { mode: "test", organization_id: context.organizationId },
  };
}

const keyOf = (linkage: Linkage) => `${linkage.type}/${linkage.id}`;

/**
 * A compound document: the primary data and, when include paths are given, `included` with every resource they
 * reach, dotted paths (`line_items.item`) walked one relationship at a time. A resource appears once, never both as
 * primary data and included; a path that reaches nothing the stand-in holds is skipped.
 */
export function compoundDocument(
  primary: StoredResource | readonly StoredResource[] | null,
  includePaths: readonly (readonly string[])[],
  context: DocumentContext,
): { data: ResourceObject | ResourceObject[] | null; included?: ResourceObject[] } {
  const primaries = primary === null ? [] : Array.isArray(primary) ? [...primary] : [primary as StoredResource];
  const primaryKeys = new Set(primaries.map(keyOf));
  const included = new Map<string, StoredResource>();
  const withData = new Map<string, Set<string>>();
  const markData = (record: StoredResource, name: string) => {
    const key = keyOf(record);
    withData.set(key, (withData.get(key) ?? new Set()).add(name));
  };

  const walk = (records: readonly StoredResource[], path: readonly string[]) => {
    const [name, ...rest] = path;
    if (name === undefined) return;
    const next: StoredResource[] = [];
    for (const record of records) {
      if (context.relations.linkage(record, name) === undefined) continue;
      markData(record, name);
      for (const target of context.relations.related(record, name)) {
        if (!primaryKeys.has(keyOf(target))) included.set(keyOf(target), target);
        next.push(target);
      }
    }
    walk(next, rest);
  };
  for (const path of includePaths) walk(primaries, path);

  const render = (record: StoredResource) => resourceObject(record, context, withData.get(keyOf(record)));
  const data =
    primary === null ? null : Array.isArray(primary) ? primaries.map(render) : render(primaries[0] as StoredResource);
  return includePaths.length > 0 ? { data, included: [...included.values()].map(render) } : { data };
}

export interface RequestResource {
  readonly attributes: Record<string, unknown>;
  readonly relationships: Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The resource a POST or PATCH sends, checked as the API checks it: JSON, a `data` object of the route's type, on
 * update the id of the URL (on create no id: client ids are not taken).
 */
export function readRequestResource(body: string, type: string, id: string | undefined): RequestResource {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    throw fail.badRequest("The request body is not valid JSON.");
  }
  if (!isObject(document) || !isObject(document.data)) throw fail.paramMissing("data");
  const data = document.data;
  if (data.type === undefined) throw fail.paramMissing("type");
  if (data.type !== type) throw fail.typeMismatch(data.type);
  if (id === undefined && data.id !== undefined) throw fail.paramNotAllowed("id");
  if (id !== undefined && data.id === undefined) throw fail.paramMissing("id");
  if (id !== undefined && data.id !== id) throw fail.keyNotIncludedInUrl(data.id);
  if (data.attributes !== undefined && !isObject(data.attributes)) {
    throw fail.badRequest("data.attributes must be an object.");
  }
  if (data.relationships !== undefined && !isObject(data.relationships)) {
    throw fail.badRequest("data.relationships must be an object.");
  }
  return { attributes: { ...(data.attributes ?? {}) }, relationships: { ...(data.relationships ?? {}) } };
}
