// `npm start`'s local console: records every request the receiver serves (history.ts) with the log lines its
// handling wrote (log-capture.ts), and serves the page and its API at the receiver's root. This file wires them: the
// hooks the server and the platforms call, and Replay and Send, which go back to the receiver over HTTP.
import type { IncomingMessage } from "node:http";
import { SIGNATURE_HEADER, TOPIC_HEADER } from "../../../shared/core/commerce-layer.ts";
import { kindOfPath } from "../../../shared/external/kinds.ts";
import type { Answer } from "../../drive/entry-points.ts";
import { EXTERNAL_PLATFORM_NAMES, type ExternalPlatformName, externalPath } from "../external-paths.ts";
import type { DeferredRun, LocalPlatform } from "../platforms.ts";
import type { LocalServerHooks, ServedRequest } from "../server.ts";
import { type ActionResult, type ConsoleActions, serveApi } from "./api.ts";
import { detailOf } from "./detail.ts";
import { type EntryOrigin, summaryOf } from "./entry.ts";
import { createEventStreams } from "./events.ts";
import { rawHeader } from "./headers-view.ts";
import { createHistory, type History } from "./history.ts";
import { refusal } from "./local-only.ts";
import { createLogCapture } from "./log-capture.ts";
import { sampleRequest } from "./samples.ts";
import { type SelfRequest, sendToSelf } from "./self-request.ts";
import { serveStatic } from "./static-files.ts";

export interface LocalConsoleOptions {
  /** The webhook platforms, read at each use (a rebuild may move Netlify's path). */
  readonly webhooks: () => readonly LocalPlatform[];
  /** The external resources' platforms, one per platform and kind. */
  readonly external: () => readonly LocalPlatform[];
  readonly history?: History;
}

export interface LocalConsole {
  readonly history: History;
  /** For createLocalServer. */
  readonly serverHooks: LocalServerHooks;
  /** For loadLocalPlatforms: runs a deferred run with its log lines going to the entry it belongs to. */
  readonly aroundDeferred: <T>(run: DeferredRun, work: () => Promise<T>) => Promise<T>;
  /** Starts attributing log lines; call it after anything else that wraps console.log (start.ts's readable lines). */
  captureLogs(): void;
  /** Ends the live feeds and gives console.log back. */
  close(): void;
}

/** A request of the console's own, recognised at the server by the port it was sent from (self-request.ts). */
interface OwnRequest {
  readonly origin: EntryOrigin;
  readonly replayOf: number | undefined;
  entryId?: number;
}

/** The root serves the page to browsers; curl and friends asking for `/` still get the text index. */
const wantsPage = (req: IncomingMessage) => (req.headers.accept ?? "").includes("text/html");

export function createLocalConsole(options: LocalConsoleOptions): LocalConsole {
  const history = options.history ?? createHistory();
  const capture = createLogCapture(history);
  const streams = createEventStreams(history);
  const ownRequests = new Map<number, OwnRequest>();
  const webhookPlatforms = () => options.webhooks().filter((platform) => !platform.internal);
  const isExternal = (platform: LocalPlatform) => options.external().includes(platform);

  async function record(served: ServedRequest, handle: () => Promise<Answer>): Promise<Answer> {
    const { platform, request, rawHeaders } = served;
    const own = served.remotePort === undefined ? undefined : ownRequests.get(served.remotePort);
    const external = isExternal(platform);
    const started = performance.now();
    const entry = history.received({
      method: request.method,
      target: `${request.url.pathname}${request.url.search}`,
      path: request.url.pathname,
      platform: platform.name,
      kind: external ? "external" : "webhook",
      subject: external ? kindOfPath(request.url.pathname) : rawHeader(rawHeaders, TOPIC_HEADER),
      rawHeaders,
      signature: rawHeader(rawHeaders, SIGNATURE_HEADER),
      body: request.body,
      origin: own?.origin ?? "sender",
      replayOf: own?.replayOf,
    });
    if (own !== undefined) own.entryId = entry.id;
    try {
      const answer = await capture.run({ entryId: entry.id, deferred: false }, handle);
      history.answered(entry.id, answer, performance.now() - started);
      return answer;
    } catch (error) {
      history.crashed(entry.id, performance.now() - started);
      throw error;
    }
  }

  function aroundDeferred<T>(run: DeferredRun, work: () => Promise<T>): Promise<T> {
    const owner = history.deferredOwner(run.platform, run.signature);
    return owner === undefined ? work() : capture.run({ entryId: owner, deferred: true }, work);
  }

  const serverHooks: LocalServerHooks = {
    around(served, handle) {
      const { platform, rawHeaders } = served;
      // A platform's own internal endpoint (Netlify's background function) is a deferred run, not a delivery.
      if (platform.internal)
        return platform.deferredOf === undefined
          ? handle()
          : aroundDeferred(
              { platform: platform.deferredOf, signature: rawHeader(rawHeaders, SIGNATURE_HEADER) },
              handle,
            );
      return record(served, handle);
    },
    async serve(req, res, url) {
      const isConsolePath = url.pathname.startsWith("/console/") || (url.pathname === "/" && wantsPage(req));
      if (!isConsolePath) return false;
      const refused = refusal(req);
      if (refused !== undefined) {
        res.writeHead(403, { "content-type": "text/plain; charset=utf-8" }).end(`${refused}\n`);
        return true;
      }
      return (await serveStatic(url.pathname, res)) || serveApi(req, res, url, actions, streams);
    },
  };

  async function sendOwn(port: number, sent: SelfRequest, own: OwnRequest): Promise<ActionResult> {
    let localPort: number | undefined;
    try {
      const answer = await sendToSelf(port, sent, (opened) => {
        localPort = opened;
        ownRequests.set(opened, own);
      });
      return { sent: true, id: own.entryId, status: answer.status };
    } catch (error) {
      return { sent: false, error: `the request did not go through: ${(error as Error).message}` };
    } finally {
      if (localPort !== undefined) ownRequests.delete(localPort);
    }
  }

  /** Where an entry goes on `platform`: the same path on its own platform; the same webhook or kind on another. */
  function replayTarget(target: string, kind: "webhook" | "external", path: string, platform: string) {
    if (kind === "external") {
      const externalKind = kindOfPath(path);
      if (externalKind === undefined || !EXTERNAL_PLATFORM_NAMES.includes(platform as ExternalPlatformName))
        return undefined;
      return externalPath(platform as ExternalPlatformName, externalKind);
    }
    const found = webhookPlatforms().find((candidate) => candidate.name === platform)?.path;
    return found === undefined ? undefined : `${found}${target.includes("?") ? target.slice(target.indexOf("?")) : ""}`;
  }

  const replayPlatforms = (kind: "webhook" | "external", own: string) => {
    const all = kind === "external" ? EXTERNAL_PLATFORM_NAMES : webhookPlatforms().map((platform) => platform.name);
    return [own, ...all.filter((name) => name !== own)];
  };

  const actions: ConsoleActions = {
    history,
    detail(id) {
      const entry = history.get(id);
      return entry === undefined
        ? undefined
        : detailOf(entry, summaryOf(entry), replayPlatforms(entry.kind, entry.platform));
    },
    async replay(id, platform, port) {
      const entry = history.get(id);
      if (entry === undefined)
        return { sent: false, error: `no entry ${id}: it may have been dropped from the history` };
      if (entry.body.length !== entry.bytes)
        return { sent: false, error: `only the first ${entry.body.length} of its ${entry.bytes} bytes were kept` };
      const target =
        platform === undefined || platform === entry.platform
          ? entry.target
          : replayTarget(entry.target, entry.kind, entry.path, platform);
      if (target === undefined) return { sent: false, error: `no ${entry.kind} path on "${platform}"` };
      const sent = { method: entry.method, target, rawHeaders: entry.rawHeaders, body: entry.body };
      return sendOwn(port, sent, { origin: "replay", replayOf: entry.id });
    },
    async send(name, platform, port) {
      const sent = sampleRequest(
        name,
        platform,
        (wanted) => webhookPlatforms().find((candidate) => candidate.name === wanted)?.path,
      );
      if (typeof sent === "string") return { sent: false, error: sent };
      return sendOwn(port, sent, { origin: "send", replayOf: undefined });
    },
  };

  return {
    history,
    serverHooks,
    aroundDeferred,
    captureLogs: () => capture.install(),
    close() {
      streams.closeAll();
      capture.uninstall();
    },
  };
}
