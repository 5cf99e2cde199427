// A stateful local stand-in of Commerce Layer's API, for tests and for running by hand (main.ts). On the wire it is
// what the documented API is, so that @commercelayer/sdk and @commercelayer/js-auth work against it unchanged:
//
//   POST /oauth/token       client credentials (JSON, form or HTTP Basic) -> an RS512 JWT as Commerce Layer issues
//                           (organization, integration application, scope, exp); 401 invalid_client on wrong
//                           credentials; 30 requests a minute. /oauth/revoke and /.well-known/jwks.json too.
//   /api/webhooks           list (filters, sort on the sortable fields only, page[size] 10 by default, 25 at most,
//                           include, fields), create (201; 422 on a blank or unknown topic, a blank or invalid
//                           callback_url, an include path naming no relationship, a name taken; the name defaults to
//                           "Webhook <id>"), read, update (triggers _disable, _enable, _reset_circuit,
//                           _regenerate_shared_secret), delete (204); /api/webhooks/<id>/last_event_callbacks.
//                           What is filterable, sortable and unique follows the API's own field metadata.
//   /api/event_callbacks    list and read, one per delivery attempt; include=webhook.
//   /api/events             list and read; PATCH { _trigger: true } delivers the event again to every webhook of its
//                           topic; /api/<type>/<id>/events lists a resource's events.
//   /api/external_gateways, external_tax_calculators, markets, shipping_methods, external_promotions
//                           list, read, update (seeded by the test; server-set shared_secret and circuit).
//   /api without a valid bearer token -> 401 INVALID_TOKEN; another path -> 404; another method -> 405; a body that
//   is not a JSON:API document -> 400 (415 for another Content-Type).
//
// How it reaches a client: the SDK builds https://<organization>.commercelayer.io/api/... from the token and takes a
// `fetch` of your own (its documented hook): send the request to `${apiEndpoint}${pathname}${search}`. js-auth posts
// to https://auth.<domain>/oauth/token with the global fetch and takes no other URL and no fetch: point the global
// fetch at `${authEndpoint}/oauth/token` for the duration of the call (or post the same JSON body yourself:
// { grant_type: "client_credentials", client_id, client_secret }).
//
// The control API, in process (and over HTTP under /_stand-in, control-routes.ts):
//
//   const cl = await startCommerceLayerStandIn({ topics: ["orders.place"], resourceRelationships: { ... } });
//   cl.seed("customers", { id: "cus1", attributes: { email: "a@b.c" } });              // resources to include
//   const { attempts } = await cl.emit("orders.place", { id: "ord1", attributes: { status: "placed" },
//     relationships: { customer: { type: "customers", id: "cus1" } } });              // event + signed deliveries
//   cl.webhooks(); cl.resources("markets");                                          // snapshots, secrets included
//   cl.eventCallbacks(); cl.events(); cl.deliveries();                                 // what was sent, exact bytes
//   await cl.retryFailed();    // one more attempt of each failed delivery (Commerce Layer's schedule is undocumented)
//   await cl.callExternal("external_gateways", "gw1", "authorize_url", document);     // signed call out
//   cl.failNext({ method: "POST", path: "/api/webhooks", status: 429, retryAfterSeconds: 2, times: 1 });
//   cl.requests({ method: "PATCH" }); cl.writeRequests(); cl.tokenRequests();         // what the client sent
//   cl.setTokenLifetime(0); cl.revokeTokens();                                         // tokens the API refuses
//   await cl.close();
//
// Deliveries: to every webhook of the topic that is enabled and whose circuit is closed, POST of
// `{ data, included? }` with content-type application/json, x-commercelayer-topic and x-commercelayer-signature
// (base64 HMAC-SHA256 of the exact bytes with that webhook's shared_secret); 5 s to answer; each attempt an
// event_callback (response_code a string, null when no answer came); a non-2xx or no answer adds a failure, a 2xx
// zeroes them, and the 30th failure in a row opens the circuit. emit(), _trigger and retryFailed() resolve once the
// attempts are recorded.
import { ANSWER_TIMEOUT_MS, TOKEN_REQUESTS_PER_MINUTE } from "../../../shared/core/commerce-layer.ts";
import { CURRENT_TOPICS, SEED_TOPICS } from "../../../shared/generated/topics.ts";
import { controlRoutes } from "./control-routes.ts";
import { Deliveries, type DeliveryAttempt, type EmitResult, type ExternalCallResult } from "./deliveries.ts";
import { type FaultRule, Faults, type RecordedRequest } from "./faults.ts";
import { Relations, type ResourceRelationships } from "./relations.ts";
import { listen, requestHandler } from "./server.ts";
import { newId, type RelationshipValue, type ResourceInput, Store, type StoredResource } from "./store.ts";
import { TokenIssuer, type TokenRequestRecord } from "./token.ts";

export type { DeliveryAttempt, EmitResult, ExternalCallResult } from "./deliveries.ts";
export type { FaultRule, RecordedRequest } from "./faults.ts";
export type { ResourceRelationships } from "./relations.ts";
export type { Linkage, RelationshipValue, ResourceInput } from "./store.ts";
export type { TokenRequestRecord } from "./token.ts";

export interface StandInOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** The organization's slug, in tokens and links. */
  readonly organization?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** The topics a webhook may name; by default every topic the template knows (shared/generated/topics.ts). */
  readonly topics?: readonly string[];
  /**
   * The relationships of the resources the tests seed, by type (`{ orders: { line_items: "line_items" } }`): a
   * webhook's include_resources is checked against them (a path through a type not described is taken as is), and
   * seeded resources show them as links.
   */
  readonly resourceRelationships?: ResourceRelationships;
  /** How long a delivery or an external call may take: Commerce Layer's 5 s by default. */
  readonly deliveryTimeoutMs?: number;
  /** 14400 s (4 hours, the documented example) by default. */
  readonly tokenLifetimeSeconds?: number;
  /** Commerce Layer's 30 by default; 0 for no limit. */
  readonly tokenRequestsPerMinute?: number;
}

export interface ResourceRef {
  readonly type: string;
  readonly id: string;
}

export interface ResourceSnapshot extends ResourceRef {
  readonly attributes: Record<string, unknown>;
  readonly relationships: Record<string, RelationshipValue>;
}

export interface WebhookSnapshot {
  readonly id: string;
  readonly name: string | null;
  readonly topic: string;
  readonly callback_url: string;
  readonly include_resources: string[] | null;
  readonly disabled_at: string | null;
  readonly circuit_state: "open" | "closed";
  readonly circuit_failure_count: number;
  readonly shared_secret: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly reference: string | null;
  readonly reference_origin: string | null;
  readonly metadata: Record<string, unknown>;
}

export interface EventCallbackSnapshot {
  readonly id: string;
  readonly webhook_id: string;
  readonly event_id: string;
  readonly callback_url: string;
  readonly payload: unknown;
  readonly response_code: string | null;
  readonly response_message: string;
  readonly created_at: string;
}

export interface EventSnapshot {
  readonly id: string;
  readonly name: string;
  readonly resource: ResourceRef;
  readonly created_at: string;
}

export interface CommerceLayerStandIn {
  /** COMMERCELAYER_API_ENDPOINT: the organization's base URL (the API is under /api). */
  readonly apiEndpoint: string;
  /** COMMERCELAYER_AUTH_ENDPOINT: /oauth/token is under it. */
  readonly authEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly organization: { readonly slug: string; readonly id: string };

  /** Seeds a resource (attributes and relationships given replace the stored ones); returns its type and id. */
  seed(type: string, resource?: ResourceInput): ResourceRef;
  resource(type: string, id: string): ResourceSnapshot | undefined;
  /** Every resource of a type, in creation order, secrets included (a suite checks none was printed). */
  resources(type: string): ResourceSnapshot[];
  /**
   * Records an event of `topic` on the resource (seeded or refreshed with what is given; `{ id }` alone names a
   * seeded one) and delivers it to every webhook of the topic that is enabled and whose circuit is closed.
   */
  emit(topic: string, resource: ResourceInput & { readonly type?: string }): Promise<EmitResult>;
  /** One more attempt of every failed delivery, the same bytes, up to 10 retries each. */
  retryFailed(): Promise<DeliveryAttempt[]>;
  /** Calls an external resource's URL as Commerce Layer does, signed with its shared_secret, counted on its circuit. */
  callExternal(type: string, id: string, urlAttribute: string, document: unknown): Promise<ExternalCallResult>;

  webhooks(): WebhookSnapshot[];
  eventCallbacks(): EventCallbackSnapshot[];
  events(): EventSnapshot[];
  /** Every delivery attempt, with the exact bytes and signature sent. */
  deliveries(): DeliveryAttempt[];

  /** The requests received (control routes aside), oldest first; filtered by method and path when asked. */
  requests(filter?: { readonly method?: string; readonly path?: string | RegExp }): RecordedRequest[];
  /** The requests that could change something: every /api request but GET. */
  writeRequests(): RecordedRequest[];
  tokenRequests(): TokenRequestRecord[];
  clearRequests(): void;

  /** The next `times` requests matching answer `status` (or lose their connection) instead of the stand-in. */
  failNext(rule: FaultRule): void;
  clearFaults(): void;
  /** Seconds a token issued from now on lives; 0 issues tokens that are already expired. */
  setTokenLifetime(seconds: number): void;
  /** Every token issued so far is refused from now on (401 INVALID_TOKEN). */
  revokeTokens(): void;

  /** Resolves once every delivery and external call under way has its outcome recorded. */
  idle(): Promise<void>;
  /** Forgets every resource, event, delivery, fault and recorded request. */
  reset(): void;
  close(): Promise<void>;
}

function snapshot(record: StoredResource): ResourceSnapshot {
  return structuredClone({
    type: record.type,
    id: record.id,
    attributes: record.attributes,
    relationships: record.relationships,
  });
}

const linked = (record: StoredResource, name: string) =>
  (record.relationships[name] as ResourceRef | undefined)?.id ?? "";

export async function startCommerceLayerStandIn(options: StandInOptions = {}): Promise<CommerceLayerStandIn> {
  const slug = options.organization ?? "stand-in";
  const organizationId = newId();
  const clientId = options.clientId ?? "stand-in-client-id";
  const clientSecret = options.clientSecret ?? "stand-in-client-secret";
  const http = await listen(options.host ?? "127.0.0.1", options.port ?? 0);
  const tokens = await TokenIssuer.create({
    organizationSlug: slug,
    organizationId,
    clientId,
    clientSecret,
    lifetimeSeconds: options.tokenLifetimeSeconds ?? 14_400,
    requestsPerMinute: options.tokenRequestsPerMinute ?? TOKEN_REQUESTS_PER_MINUTE,
  });
  const store = new Store();
  const relations = new Relations(store, options.resourceRelationships ?? {});
  const documents = { baseUrl: http.origin, organizationId, store, relations };
  const deliveries = new Deliveries(store, documents, options.deliveryTimeoutMs ?? ANSWER_TIMEOUT_MS);
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  const topics = new Set(options.topics ?? [...SEED_TOPICS, ...CURRENT_TOPICS]);

  const standIn: CommerceLayerStandIn = {
    apiEndpoint: http.origin,
    authEndpoint: http.origin,
    clientId,
    clientSecret,
    organization: { slug, id: organizationId },

    seed: (type, resource = {}) => {
      const record = store.upsert(type, resource);
      return { type: record.type, id: record.id };
    },
    resource: (type, id) => {
      const record = store.get(type, id);
      return record === undefined ? undefined : snapshot(record);
    },
    resources: (type) => store.all(type).map(snapshot),
    emit: (topic, resource) => deliveries.emit(topic, resource),
    retryFailed: () => deliveries.retryFailed(),
    callExternal: (type, id, urlAttribute, document) => deliveries.callExternal(type, id, urlAttribute, document),

    webhooks: () =>
      store
        .all("webhooks")
        .map((record) => structuredClone({ id: record.id, ...record.attributes }) as WebhookSnapshot),
    eventCallbacks: () =>
      store.all("event_callbacks").map(
        (record) =>
          structuredClone({
            id: record.id,
            webhook_id: linked(record, "webhook"),
            event_id: linked(record, "event"),
            callback_url: record.attributes.callback_url,
            payload: record.attributes.payload,
            response_code: record.attributes.response_code,
            response_message: record.attributes.response_message,
            created_at: record.attributes.created_at,
          }) as EventCallbackSnapshot,
      ),
    events: () =>
      store.all("events").map((record) => ({
        id: record.id,
        name: String(record.attributes.name),
        resource: { ...(record.relationships.subject as ResourceRef) },
        created_at: String(record.attributes.created_at),
      })),
    deliveries: () => [...deliveries.attempts],

    requests: (filter = {}) =>
      requests.filter(
        (request) =>
          (filter.method === undefined || request.method === filter.method.toUpperCase()) &&
          (filter.path === undefined ||
            (typeof filter.path === "string" ? request.path === filter.path : filter.path.test(request.path))),
      ),
    writeRequests: () => requests.filter((request) => request.method !== "GET" && request.path.startsWith("/api/")),
    tokenRequests: () => [...tokens.requests],
    clearRequests: () => {
      requests.length = 0;
      tokens.requests.length = 0;
    },

    failNext: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    setTokenLifetime: (seconds) => {
      tokens.lifetimeSeconds = seconds;
    },
    revokeTokens: () => tokens.revokeAll(),

    idle: () => deliveries.idle(),
    reset: () => {
      store.clear();
      deliveries.clear();
      faults.clear();
      standIn.clearRequests();
    },
    close: async () => {
      await deliveries.idle();
      await http.close();
    },
  };

  const api = { store, relations, deliveries, baseUrl: http.origin, organizationId, topics };
  http.serve(requestHandler({ api, tokens, faults, requests, control: controlRoutes(standIn) }, http.origin));
  return standIn;
}
