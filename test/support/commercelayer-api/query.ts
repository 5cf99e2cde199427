// What a list request asks for and its answer's page: filters (filters.ts), `sort`, `page[number]` / `page[size]`
// (10 by default, 25 at most: docs.commercelayer.io "Pagination"), `include` and `fields[type]`, each checked as the
// API checks it (400 with the documented code when a parameter names something the resource does not have).
import { API_MAX_PAGE_SIZE } from "../../../shared/core/commerce-layer.ts";
import { fail } from "./errors.ts";
import { type FieldValue, type Filter, parseFilters, passes } from "./filters.ts";
import { COMMON_ATTRIBUTES, COMMON_SORTABLE, kindOf } from "./kinds.ts";
import type { Relations } from "./relations.ts";
import type { StoredResource } from "./store.ts";

export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = API_MAX_PAGE_SIZE;

/** The fields a filter or a fieldset may name on a type, or undefined when any name goes (a seeded type). */
function attributeNames(type: string): Set<string> | undefined {
  const kind = kindOf(type);
  return kind === undefined ? undefined : new Set(["id", ...kind.attributes, ...COMMON_ATTRIBUTES]);
}

/** Reads a field of a resource: an attribute, `<relationship>_id`, or `<to-one relationship>_<its attribute>`. */
export function fieldReader(relations: Relations) {
  return (record: StoredResource, field: string): FieldValue => {
    if (field === "id") return { one: record.id };
    if (Object.hasOwn(record.attributes, field)) return { one: record.attributes[field] };
    for (const name of relations.names(record)) {
      if (field === `${name}_id`) {
        const linkage = relations.linkage(record, name);
        if (Array.isArray(linkage)) return { many: linkage.map((link: { id: string }) => link.id) };
        return { one: (linkage as { id: string } | null | undefined)?.id ?? null };
      }
      if (field.startsWith(`${name}_`)) {
        const [target] = relations.related(record, name);
        return { one: target?.attributes[field.slice(name.length + 1)] ?? null };
      }
    }
    return { one: null };
  };
}

/** Whether a filter may name `field` on `type` (relationships' ids and their targets' attributes included). */
function filterable(type: string, field: string, relations: Relations): boolean {
  const names = attributeNames(type);
  if (names === undefined) return true;
  if (kindOf(type)?.unfilterable.includes(field)) return false;
  if (names.has(field)) return true;
  for (const name of Object.keys(kindOf(type)?.relationships ?? {})) {
    if (field === `${name}_id`) return true;
    const target = relations.target(type, name);
    if (field.startsWith(`${name}_`) && target !== undefined) {
      return filterable(target, field.slice(name.length + 1), relations);
    }
  }
  return false;
}

export interface SortKey {
  readonly field: string;
  readonly descending: boolean;
}

export interface ListQuery {
  readonly filters: readonly Filter[];
  readonly sort: readonly SortKey[];
  readonly pageNumber: number;
  readonly pageSize: number;
}

function pageParameter(params: URLSearchParams, name: string, fallback: number, max?: number): number {
  const raw = params.get(`page[${name}]`);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw fail.invalidPageValue(`page[${name}]`, raw, "it must be a positive integer");
  }
  if (max !== undefined && value > max) {
    throw fail.invalidPageValue(`page[${name}]`, raw, `size exceeds maximum page size of ${max}`);
  }
  return value;
}

/** What `sort` may name on a type (the API's field metadata), or undefined when anything goes (a seeded type). */
function sortableNames(type: string): Set<string> | undefined {
  const kind = kindOf(type);
  return kind === undefined ? undefined : new Set([...COMMON_SORTABLE, ...kind.sortable]);
}

export function parseListQuery(params: URLSearchParams, type: string, relations: Relations): ListQuery {
  const names = sortableNames(type);
  const sort = (params.get("sort") ?? "")
    .split(",")
    .filter((item) => item !== "")
    .map((item) => {
      const descending = item.startsWith("-");
      const field = descending ? item.slice(1) : item;
      if (names !== undefined && !names.has(field)) throw fail.invalidSort(field, type);
      return { field, descending };
    });
  return {
    filters: parseFilters(params, (field) => filterable(type, field, relations)),
    sort,
    pageNumber: pageParameter(params, "number", 1),
    pageSize: pageParameter(params, "size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
  };
}

/** Orders two values as PostgreSQL does: nulls after everything going up, numbers as numbers. */
function order(a: unknown, b: unknown): number {
  const [aNull, bNull] = [a === null || a === undefined, b === null || b === undefined];
  if (aNull || bNull) return Number(aNull) - Number(bNull);
  if (typeof a === "number" && typeof b === "number") return a - b;
  const [x, y] = [typeof a === "string" ? a : JSON.stringify(a), typeof b === "string" ? b : JSON.stringify(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface Page {
  readonly records: readonly StoredResource[];
  readonly recordCount: number;
  readonly pageCount: number;
}

/**
 * Filters, sorts and pages. Without `sort` the order is creation order (Commerce Layer's default order is not
 * documented; `sort=-created_at` is what a client that cares asks for), or the order given with `keepOrder` (a
 * relationship's, e.g. last_event_callbacks: the most recent first). Equal keys keep that order.
 */
export function runList(
  records: readonly StoredResource[],
  query: ListQuery,
  read: (record: StoredResource, field: string) => FieldValue,
  keepOrder = false,
): Page {
  const matching = records.filter((record) => passes(query.filters, (field) => read(record, field)));
  if (!keepOrder) matching.sort((a, b) => a.seq - b.seq);
  const value = (record: StoredResource, field: string) => (field === "id" ? record.id : record.attributes[field]);
  // Array.prototype.sort is stable: records with equal keys stay in the order above.
  matching.sort((a, b) => {
    for (const { field, descending } of query.sort) {
      const result = order(value(a, field), value(b, field));
      if (result !== 0) return descending ? -result : result;
    }
    return 0;
  });
  const start = (query.pageNumber - 1) * query.pageSize;
  return {
    records: matching.slice(start, start + query.pageSize),
    recordCount: matching.length,
    pageCount: Math.ceil(matching.length / query.pageSize),
  };
}

/** `links` of a list: first, prev, next, last, each the request's URL with its page. */
export function pageLinks(url: URL, query: ListQuery, pageCount: number): Record<string, string> {
  const at = (number: number) => {
    const link = new URL(url);
    link.searchParams.set("page[number]", String(number));
    link.searchParams.set("page[size]", String(query.pageSize));
    return link.toString();
  };
  const last = Math.max(pageCount, 1);
  return {
    first: at(1),
    ...(query.pageNumber > 1 ? { prev: at(Math.min(query.pageNumber - 1, last)) } : {}),
    ...(query.pageNumber < pageCount ? { next: at(query.pageNumber + 1) } : {}),
    last: at(last),
  };
}

/**
 * Include paths (`include=webhook`, `line_items.item`), each checked one relationship at a time for as long as the
 * stand-in knows the type reached.
 */
export function checkIncludePath(type: string, path: readonly string[], relations: Relations): boolean {
  let current: string | undefined = type;
  for (const name of path) {
    if (name === "") return false;
    if (current === undefined) return true;
    if (!relations.knowsType(current)) return true;
    if (!relations.has(current, name)) return false;
    current = relations.target(current, name);
  }
  return true;
}

export function parseInclude(params: URLSearchParams, type: string, relations: Relations): string[][] {
  const raw = params.get("include");
  if (raw === null || raw === "") return [];
  return raw.split(",").map((item) => {
    const path = item.split(".");
    if (!checkIncludePath(type, path, relations)) throw fail.invalidInclude(item, type);
    return path;
  });
}

/** `fields[type]=a,b`: the attributes and relationships to show, by type. */
export function parseFields(params: URLSearchParams, relations: Relations): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>();
  for (const [name, value] of params) {
    const type = /^fields\[(.+)\]$/.exec(name)?.[1];
    if (type === undefined) continue;
    const names = attributeNames(type);
    const wanted = new Set(value.split(",").filter((field) => field !== ""));
    for (const field of wanted) {
      if (names !== undefined && !names.has(field) && !relations.has(type, field)) throw fail.invalidField(field, type);
    }
    fields.set(type, wanted);
  }
  return fields;
}
