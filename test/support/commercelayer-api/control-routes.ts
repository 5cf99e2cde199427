// The control API over HTTP, for anyone running the stand-in by hand (main.ts): the same calls as the in-process
// control API, JSON in and out, under /_stand-in. Not part of Commerce Layer's API: no token, no faults, not recorded.
//
//   GET  /_stand-in                  the endpoints and credentials
//   POST /_stand-in/emit             { topic, resource: { id?, attributes?, relationships? } }: record and deliver
//   POST /_stand-in/seed             { type, id?, attributes?, relationships? }: a resource to include or to call
//   POST /_stand-in/retry-failed     one more attempt of every failed delivery
//   POST /_stand-in/call-external    { type, id, urlAttribute, document }: call an external resource's URL
//   POST /_stand-in/fail-next        { method?, path | pathPattern, times?, status?, retryAfterSeconds?, dropConnection?, delayMs? }
//   POST /_stand-in/reset            forget everything
//   GET  /_stand-in/webhooks | event-callbacks | events | deliveries | requests | token-requests
import type { Answer } from "./api-routes.ts";
import type { CommerceLayerStandIn } from "./stand-in.ts";

function readJson(body: string): Record<string, unknown> {
  if (body.trim() === "") return {};
  const value: unknown = JSON.parse(body);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("the body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

const text = (value: unknown) => (typeof value === "string" ? value : undefined);

export function controlRoutes(standIn: CommerceLayerStandIn) {
  const routes: Record<string, (input: Record<string, unknown>) => unknown> = {
    "GET /_stand-in": () => ({
      apiEndpoint: standIn.apiEndpoint,
      authEndpoint: standIn.authEndpoint,
      clientId: standIn.clientId,
      clientSecret: standIn.clientSecret,
      organization: standIn.organization,
    }),
    "POST /_stand-in/emit": (input) => {
      const topic = text(input.topic);
      if (topic === undefined) throw new Error("topic is required");
      return standIn.emit(topic, (input.resource ?? {}) as Parameters<CommerceLayerStandIn["emit"]>[1]);
    },
    "POST /_stand-in/seed": (input) => {
      const type = text(input.type);
      if (type === undefined) throw new Error("type is required");
      const { type: _, ...resource } = input;
      return standIn.seed(type, resource);
    },
    "POST /_stand-in/retry-failed": () => standIn.retryFailed(),
    "POST /_stand-in/call-external": (input) =>
      standIn.callExternal(String(input.type), String(input.id), String(input.urlAttribute), input.document),
    "POST /_stand-in/fail-next": (input) => {
      const pattern = text(input.pathPattern);
      const path = pattern === undefined ? text(input.path) : new RegExp(pattern);
      if (path === undefined) throw new Error("path or pathPattern is required");
      standIn.failNext({ ...input, path });
      return { ok: true };
    },
    "POST /_stand-in/reset": () => {
      standIn.reset();
      return { ok: true };
    },
    "GET /_stand-in/webhooks": () => standIn.webhooks(),
    "GET /_stand-in/event-callbacks": () => standIn.eventCallbacks(),
    "GET /_stand-in/events": () => standIn.events(),
    "GET /_stand-in/deliveries": () => standIn.deliveries(),
    "GET /_stand-in/requests": () => standIn.requests(),
    "GET /_stand-in/token-requests": () => standIn.tokenRequests(),
  };

  return async (method: string, url: URL, body: string): Promise<Answer> => {
    const route = routes[`${method} ${url.pathname.replace(/\/$/, "")}`];
    if (route === undefined) return { status: 404, body: { error: `no control route ${method} ${url.pathname}` } };
    try {
      return { status: 200, body: (await route(readJson(body))) ?? null };
    } catch (error) {
      return { status: 400, body: { error: error instanceof Error ? error.message : String(error) } };
    }
  };
}
