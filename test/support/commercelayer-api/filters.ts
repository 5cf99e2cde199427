// `filter[q][<fields>_<predicate>]=<value>`, the Ransack-style filters Commerce Layer documents ("Filtering data"),
// implemented once for every attribute and every `<relationship>_id`: eq, not_eq, in, not_in, lt, lteq, gt, gteq,
// matches, does_not_match, cont, start, end (and their not_ forms), null, not_null, present, blank, true, false,
// jcont, and the `_any` / `_all` forms over comma-separated values. `a_or_b_cont` matches either attribute.
//
// Comparisons follow SQL, as the API's database does: a null attribute matches no comparison (`not_eq` and `not_in`
// included), only `null`, `blank` and their opposites. Text matching (`matches`, `cont`, `start`, `end`) ignores
// case, as Ransack's ILIKE does on PostgreSQL; `eq` does not.
import { fail } from "./errors.ts";

export interface Filter {
  /** The query key as sent, for errors. */
  readonly key: string;
  /** One field, or several joined by `_or_`. */
  readonly fields: readonly string[];
  readonly predicate: string;
  readonly value: string;
}

type Base = "eq" | "lt" | "lteq" | "gt" | "gteq" | "matches" | "cont" | "start" | "end";

/** Every predicate a key may end with, longest first so that `not_eq` wins over `eq` and `not_null` over `null`. */
const PREDICATES = [
  ...["eq", "matches", "cont", "start", "end", "lt", "lteq", "gt", "gteq"].flatMap((base) => [
    base,
    `${base}_any`,
    `${base}_all`,
  ]),
  ...["not_eq", "not_cont", "not_start", "not_end", "does_not_match"].flatMap((base) => [
    base,
    `${base}_any`,
    `${base}_all`,
  ]),
  "in",
  "not_in",
  "null",
  "not_null",
  "present",
  "blank",
  "true",
  "false",
  "jcont",
].sort((a, b) => b.length - a.length);

const NEGATED: Readonly<Record<string, Base>> = {
  not_eq: "eq",
  not_cont: "cont",
  not_start: "start",
  not_end: "end",
  does_not_match: "matches",
};

/**
 * The filters of a query string; a key naming no field `knows` accepts is refused as the API refuses it. Besides
 * `filter[q][...]`, the API's field metadata lists the JSON:API library's own filters, taken too: `filter[<field>]=a,b`
 * (one of the values), `filter[ids]=a,b`, and `filter[<time>_from]` / `filter[<time>_to]` (bounds included).
 */
export function parseFilters(params: URLSearchParams, knows: (field: string) => boolean): Filter[] {
  const filters: Filter[] = [];
  for (const [name, value] of params) {
    const ransack = /^filter\[q\]\[(.+)\]$/.exec(name)?.[1];
    if (ransack !== undefined) {
      filters.push(parseKey(ransack, value, knows));
      continue;
    }
    const plain = /^filter\[([^\]]+)\]$/.exec(name)?.[1];
    if (plain !== undefined) filters.push(parsePlain(plain, value, knows));
  }
  return filters;
}

function parsePlain(key: string, value: string, knows: (field: string) => boolean): Filter {
  if (key === "ids") return { key, fields: ["id"], predicate: "in", value };
  const [, field, bound] = /^(.+_at)_(from|to)$/.exec(key) ?? [];
  if (field !== undefined && knows(field)) {
    return { key, fields: [field], predicate: bound === "from" ? "gteq" : "lteq", value };
  }
  if (knows(key)) return { key, fields: [key], predicate: "in", value };
  throw fail.filterNotAllowed(key, `filter[${key}]`);
}

function parseKey(key: string, value: string, knows: (field: string) => boolean): Filter {
  for (const predicate of PREDICATES) {
    if (!key.endsWith(`_${predicate}`)) continue;
    const expression = key.slice(0, -predicate.length - 1);
    if (expression === "") continue;
    const fields = knows(expression) ? [expression] : expression.split("_or_");
    if (fields.every((field) => field !== "" && knows(field))) return { key, fields, predicate, value };
  }
  throw fail.filterNotAllowed(key, `filter[q][${key}]`);
}

const isNull = (value: unknown) => value === null || value === undefined;

/** Compares an attribute with a filter value: numbers as numbers, `*_at` as instants, the rest as text. */
function compare(actual: unknown, wanted: string, field: string): number | undefined {
  if (typeof actual === "number") {
    const number = Number(wanted);
    return Number.isNaN(number) ? undefined : actual - number;
  }
  if (typeof actual === "boolean") {
    return Number(actual) - Number(wanted === "true" || wanted === "t" || wanted === "1");
  }
  const text = typeof actual === "string" ? actual : JSON.stringify(actual);
  if (field.endsWith("_at")) {
    const [a, b] = [Date.parse(text), Date.parse(wanted)];
    if (!Number.isNaN(a) && !Number.isNaN(b)) return a - b;
  }
  return text < wanted ? -1 : text > wanted ? 1 : 0;
}

/** SQL LIKE, case-insensitive: `%` any run of characters, `_` one character. */
function like(text: string, pattern: string): boolean {
  const source = [...pattern]
    .map((char) => (char === "%" ? ".*" : char === "_" ? "." : char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "is").test(text);
}

function base(predicate: Base, actual: unknown, wanted: string, field: string): boolean {
  if (isNull(actual)) return false;
  const text = (typeof actual === "string" ? actual : JSON.stringify(actual)).toLowerCase();
  const needle = wanted.toLowerCase();
  switch (predicate) {
    case "matches":
      return like(text, needle);
    case "cont":
      return text.includes(needle);
    case "start":
      return text.startsWith(needle);
    case "end":
      return text.endsWith(needle);
  }
  const order = compare(actual, wanted, field);
  if (order === undefined) return false;
  return { eq: order === 0, lt: order < 0, lteq: order <= 0, gt: order > 0, gteq: order >= 0 }[predicate];
}

/** JSON containment (`metadata_jcont={"a":1}`): every key of `wanted` is in `actual` with a containing value. */
function contains(actual: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) {
    return Array.isArray(actual) && wanted.every((item) => actual.some((candidate) => contains(candidate, item)));
  }
  if (typeof wanted === "object" && wanted !== null) {
    if (typeof actual !== "object" || actual === null) return false;
    const object = actual as Record<string, unknown>;
    return Object.entries(wanted).every(([key, value]) => contains(object[key], value));
  }
  return actual === wanted;
}

/** Whether one value (an attribute, or one id of a to-many relationship) satisfies a filter. */
function satisfies(filter: Filter, actual: unknown, field: string): boolean {
  const { predicate, value } = filter;
  const truthy = value === "true" || value === "t" || value === "1";
  switch (predicate) {
    case "null":
      return isNull(actual) === truthy;
    case "not_null":
      return isNull(actual) !== truthy;
    case "blank":
      return (isNull(actual) || actual === "") === truthy;
    case "present":
      return (!isNull(actual) && actual !== "") === truthy;
    case "true":
      return truthy ? actual === true : actual === false;
    case "false":
      return truthy ? actual === false : actual === true;
    case "in":
      return value.split(",").some((item) => base("eq", actual, item, field));
    case "not_in":
      return !isNull(actual) && !value.split(",").some((item) => base("eq", actual, item, field));
    case "jcont": {
      let wanted: unknown;
      try {
        wanted = JSON.parse(value);
      } catch {
        throw fail.invalidFilterValue(filter.key, value);
      }
      return contains(actual, wanted);
    }
  }
  const [, stem = predicate, quantifier] = /^(.*?)(?:_(any|all))?$/.exec(predicate) ?? [];
  const negated = NEGATED[stem];
  const test = (item: string) =>
    negated === undefined
      ? base(stem as Base, actual, item, field)
      : !isNull(actual) && !base(negated, actual, item, field);
  if (quantifier === undefined) return test(value);
  const items = value.split(",");
  return quantifier === "any" ? items.some(test) : items.every(test);
}

/** A field's value: one (an attribute, a to-one relationship's id) or many (a to-many relationship's ids). */
export type FieldValue = { readonly one: unknown } | { readonly many: readonly unknown[] };

/** Whether a resource passes every filter; a to-many relationship passes when one of its ids does (a SQL join). */
export function passes(filters: readonly Filter[], read: (field: string) => FieldValue): boolean {
  return filters.every((filter) =>
    filter.fields.some((field) => {
      const actual = read(field);
      return "many" in actual
        ? actual.many.some((item) => satisfies(filter, item, field))
        : satisfies(filter, actual.one, field);
    }),
  );
}
