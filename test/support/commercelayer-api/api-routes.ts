// The API under /api: for every kind (kinds.ts) the same collection routes, as JSON:API and Commerce Layer define
// them. GET /api/<type> lists, POST creates (201), GET /api/<type>/<id> reads, PATCH updates (200; triggers
// included), DELETE deletes (204), GET /api/<type>/<id>/<relationship> reads a relationship, and
// GET /api/<type>/<id>/events lists the events of any resource the stand-in holds. A method a kind does not have is
// 405; a path that is none of these, 404.
import type { IncomingHttpHeaders } from "node:http";
import type { Deliveries } from "./deliveries.ts";
import { compoundDocument, type DocumentContext, readRequestResource } from "./documents.ts";
import { fail } from "./errors.ts";
import { kindOf, type Method, type ResourceKind } from "./kinds.ts";
import { applyTrigger } from "./lifecycle.ts";
import { fieldReader, pageLinks, parseFields, parseInclude, parseListQuery, runList } from "./query.ts";
import type { Relations } from "./relations.ts";
import { type Store, type StoredResource, timestamp } from "./store.ts";
import { validate } from "./validation.ts";

export interface ApiContext {
  readonly store: Store;
  readonly relations: Relations;
  readonly deliveries: Deliveries;
  readonly baseUrl: string;
  readonly organizationId: string;
  readonly topics: ReadonlySet<string>;
}

export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const JSON_API = "application/vnd.api+json";

/** The HTTP methods of a collection path (`/api/webhooks`) and of a member path (`/api/webhooks/<id>`). */
const COLLECTION: Readonly<Record<string, Method>> = { GET: "list", POST: "create" };
const MEMBER: Readonly<Record<string, Method>> = { GET: "read", PATCH: "update", DELETE: "delete" };

function allowedMethods(kind: ResourceKind, routes: Readonly<Record<string, Method>>): string[] {
  return Object.entries(routes)
    .filter(([, method]) => kind.methods.includes(method))
    .map(([http]) => http);
}

function checkMethod(kind: ResourceKind, routes: Readonly<Record<string, Method>>, http: string): Method {
  const method = routes[http];
  if (method === undefined || !kind.methods.includes(method)) {
    throw fail.methodNotAllowed(http, allowedMethods(kind, routes));
  }
  return method;
}

function documentContext(context: ApiContext, url: URL): DocumentContext {
  return {
    baseUrl: context.baseUrl,
    organizationId: context.organizationId,
    store: context.store,
    relations: context.relations,
    fields: parseFields(url.searchParams, context.relations),
  };
}

/** A page of a list: the records as a compound document with `meta` and `links`. */
function listAnswer(
  context: ApiContext,
  url: URL,
  type: string,
  records: readonly StoredResource[],
  keepOrder = false,
): Answer {
  const query = parseListQuery(url.searchParams, type, context.relations);
  const include = parseInclude(url.searchParams, type, context.relations);
  const page = runList(records, query, fieldReader(context.relations), keepOrder);
  const document = compoundDocument(page.records, include, documentContext(context, url));
  return {
    status: 200,
    body: {
      ...document,
      meta: { record_count: page.recordCount, page_count: page.pageCount },
      links: pageLinks(url, query, page.pageCount),
    },
  };
}

function resourceAnswer(context: ApiContext, url: URL, record: StoredResource | null, status = 200): Answer {
  const include = record === null ? [] : parseInclude(url.searchParams, record.type, context.relations);
  return { status, body: compoundDocument(record, include, documentContext(context, url)) };
}

const CREATE_REFUSES = ["_reset_circuit", "_regenerate_shared_secret", "_trigger"];

/** Splits a request's attributes into values to store and triggers to apply; anything else is refused. */
function splitAttributes(kind: ResourceKind, attributes: Record<string, unknown>, creating: boolean) {
  const values: Record<string, unknown> = {};
  const triggers: string[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    // The field metadata: _reset_circuit, _regenerate_shared_secret and _trigger are not creatable.
    const trigger = kind.triggers.includes(name) && !(creating && CREATE_REFUSES.includes(name));
    if (trigger) {
      // A trigger acts when sent as true; false (or anything else) does nothing.
      if (value === true || value === "true") triggers.push(name);
    } else if (kind.writable.includes(name)) values[name] = value;
    else throw fail.paramNotAllowed(name);
  }
  return { values, triggers };
}

function refuseRelationships(relationships: Record<string, unknown>): void {
  const [name] = Object.keys(relationships);
  if (name !== undefined) throw fail.paramNotAllowed(name);
}

function checkValid(
  kind: ResourceKind,
  attributes: Record<string, unknown>,
  context: ApiContext,
  existing?: StoredResource,
  sent?: ReadonlySet<string>,
): void {
  const issues = validate(kind, attributes, context, sent, existing?.id);
  if (issues.length > 0) throw fail.validation(issues);
}

async function create(context: ApiContext, url: URL, kind: ResourceKind, body: string): Promise<Answer> {
  const { attributes, relationships } = readRequestResource(body, kind.type, undefined);
  refuseRelationships(relationships);
  const { values, triggers } = splitAttributes(kind, attributes, true);
  checkValid(kind, values, context);
  const record = context.store.insert(kind.type, { attributes: values });
  if (kind.defaultName !== undefined && (values.name === undefined || values.name === null || values.name === "")) {
    record.attributes.name = kind.defaultName(record.id);
  }
  for (const trigger of triggers) applyTrigger(record, trigger);
  return resourceAnswer(context, url, record, 201);
}

async function update(context: ApiContext, url: URL, record: StoredResource, kind: ResourceKind, body: string) {
  const { attributes, relationships } = readRequestResource(body, kind.type, record.id);
  refuseRelationships(relationships);
  const { values, triggers } = splitAttributes(kind, attributes, false);
  checkValid(kind, { ...record.attributes, ...values }, context, record, new Set(Object.keys(values)));
  Object.assign(record.attributes, values);
  for (const trigger of triggers) if (trigger !== "_trigger") applyTrigger(record, trigger);
  if (Object.keys(values).length > 0 || triggers.length > 0) record.attributes.updated_at = timestamp();
  // Commerce Layer fires asynchronously; the stand-in answers once the deliveries are done, so that a test can read
  // their event_callbacks right after the PATCH.
  if (triggers.includes("_trigger")) await context.deliveries.fire(record);
  return resourceAnswer(context, url, record);
}

function remove(context: ApiContext, record: StoredResource): Answer {
  context.store.remove(record.type, record.id);
  if (record.type === "webhooks") context.deliveries.forgetWebhook(record.id);
  return { status: 204 };
}

function related(context: ApiContext, url: URL, record: StoredResource, name: string): Answer {
  const spec = kindOf(record.type)?.relationships[name];
  if (spec === undefined) throw fail.routeNotFound(url.pathname);
  const targets = context.relations.related(record, name);
  if (spec.many) return listAnswer(context, url, spec.type, targets, true);
  return resourceAnswer(context, url, targets[0] ?? null);
}

function checkContentNegotiation(method: string, headers: IncomingHttpHeaders): void {
  const accept = headers.accept;
  if (accept !== undefined && !accept.includes(JSON_API) && !accept.includes("*/*")) throw fail.notAcceptable();
  if (method === "POST" || method === "PATCH") {
    const contentType = headers["content-type"] ?? "";
    if (!contentType.startsWith(JSON_API)) throw fail.unsupportedMediaType(contentType);
  }
}

export async function routeApi(
  context: ApiContext,
  method: string,
  url: URL,
  headers: IncomingHttpHeaders,
  body: string,
): Promise<Answer> {
  const [prefix, type, id, relationship, ...rest] = url.pathname.split("/").slice(1);
  if (prefix !== "api" || type === undefined || type === "" || rest.length > 0) throw fail.routeNotFound(url.pathname);
  checkContentNegotiation(method, headers);

  // Any resource's events, seeded types included (GET /api/orders/<id>/events).
  if (relationship === "events" && id !== undefined && type !== "events") {
    if (method !== "GET") throw fail.methodNotAllowed(method, ["GET"]);
    if (context.store.get(type, id) === undefined) throw fail.recordNotFound();
    return listAnswer(context, url, "events", context.deliveries.eventsOf(type, id));
  }
  const kind = kindOf(type);
  if (kind === undefined) throw fail.routeNotFound(url.pathname);

  if (id === undefined || id === "") {
    return checkMethod(kind, COLLECTION, method) === "list"
      ? listAnswer(context, url, type, context.store.all(type))
      : create(context, url, kind, body);
  }
  if (relationship !== undefined) {
    if (method !== "GET") throw fail.methodNotAllowed(method, ["GET"]);
    return related(context, url, context.store.require(type, id), relationship);
  }
  const action = checkMethod(kind, MEMBER, method);
  const record = context.store.require(type, id);
  if (action === "read") return resourceAnswer(context, url, record);
  if (action === "update") return update(context, url, record, kind, body);
  return remove(context, record);
}
