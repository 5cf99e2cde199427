// The console's HTTP API, under /console/api/, for its page only (local-only.ts decides who may call it):
//
//   GET  /console/api/deliveries             the list, newest first, and the history's limits
//   GET  /console/api/deliveries/:id         one entry in full (detail.ts)
//   GET  /console/api/deliveries/:id/body    its body, byte for byte
//   POST /console/api/deliveries/:id/replay  {"platform"?: name}: the same bytes and headers again
//   GET  /console/api/samples                the topics, kinds and platforms Send offers
//   GET  /console/api/samples/body?name=     the sample Send would send for a topic or kind
//   POST /console/api/send                   {"name": topic or kind, "platform": name}
//   GET  /console/api/events                 the live feed (events.ts)
//
// Every JSON answer goes through scrubbedJson; errors are one short sentence, never a stack.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EntryDetail } from "./detail.ts";
import type { EventStreams } from "./events.ts";
import type { History } from "./history.ts";
import { sampleBody, sampleChoices } from "./samples.ts";
import { holdsSecret, scrubbedJson } from "./secrets.ts";

/** What Replay and Send come back with: the entry the request became, or why nothing was sent. */
export type ActionResult =
  | { readonly sent: true; readonly id: number | undefined; readonly status: number }
  | { readonly sent: false; readonly error: string };

export interface ConsoleActions {
  readonly history: History;
  detail(id: number): EntryDetail | undefined;
  /** `port`: the receiver's own, to send to. */
  replay(id: number, platform: string | undefined, port: number): Promise<ActionResult>;
  send(name: string, platform: string, port: number): Promise<ActionResult>;
}

/** A Replay or Send request body is a few words: anything larger is not the page's. */
const MAX_REQUEST_BYTES = 16 * 1024;

function json(res: ServerResponse, status: number, value: unknown): void {
  res
    .writeHead(status, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    })
    .end(scrubbedJson(value));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const optionalString = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);

function answerAction(res: ServerResponse, result: ActionResult): void {
  if (result.sent) json(res, 200, result);
  else json(res, 400, { error: result.error });
}

function serveRawBody(res: ServerResponse, actions: ConsoleActions, id: number): void {
  const entry = actions.history.get(id);
  if (entry === undefined) {
    json(res, 404, { error: `no entry ${id}: it may have been dropped from the history` });
    return;
  }
  if (holdsSecret(entry.body)) {
    json(res, 403, { error: "this body holds a secret in force: not served" });
    return;
  }
  res
    .writeHead(200, {
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename="delivery-${id}.${entry.kind === "webhook" ? "json" : "bin"}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-stored-bytes": String(entry.body.length),
      "x-received-bytes": String(entry.bytes),
    })
    .end(entry.body);
}

/** Answers `req` when its path is the API's; false when it is not. */
export async function serveApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  actions: ConsoleActions,
  streams: EventStreams,
): Promise<boolean> {
  const path = url.pathname;
  if (!path.startsWith("/console/api/")) return false;
  const route = `${req.method} ${path.replace(/\/\d+(?=\/|$)/, "/:id")}`;
  const id = Number(path.match(/\/deliveries\/(\d+)/)?.[1]);
  const port = req.socket.localPort ?? 0;
  switch (route) {
    case "GET /console/api/deliveries":
      json(res, 200, { limits: actions.history.limits, entries: actions.history.list() });
      return true;
    case "GET /console/api/deliveries/:id": {
      const detail = actions.detail(id);
      if (detail === undefined) json(res, 404, { error: `no entry ${id}: it may have been dropped from the history` });
      else json(res, 200, detail);
      return true;
    }
    case "GET /console/api/deliveries/:id/body":
      serveRawBody(res, actions, id);
      return true;
    case "POST /console/api/deliveries/:id/replay": {
      const body = await readJson(req);
      if (body === undefined) json(res, 400, { error: 'send {"platform": name} or {}' });
      else answerAction(res, await actions.replay(id, optionalString(body.platform), port));
      return true;
    }
    case "GET /console/api/samples":
      json(res, 200, sampleChoices());
      return true;
    case "GET /console/api/samples/body": {
      const name = url.searchParams.get("name") ?? "";
      const body = sampleBody(name);
      if (body === undefined) json(res, 404, { error: `"${name}" is no Commerce Layer topic or external kind` });
      else json(res, 200, { name, body: body.toString("utf8") });
      return true;
    }
    case "POST /console/api/send": {
      const body = await readJson(req);
      const name = optionalString(body?.name);
      const platform = optionalString(body?.platform);
      if (name === undefined || platform === undefined)
        json(res, 400, { error: 'send {"name": ..., "platform": ...}' });
      else answerAction(res, await actions.send(name, platform, port));
      return true;
    }
    case "GET /console/api/events":
      streams.open(req, res);
      return true;
    default:
      json(res, 404, { error: `no such console route: ${req.method} ${path}` });
      return true;
  }
}
