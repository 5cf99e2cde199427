// The page's live feed, as Server-Sent Events: on connecting (and on each reconnection, which EventSource does by
// itself) a `snapshot` of the whole list, then one `entry` event per change of an entry and one `dropped` event per
// entry the history let go. Every payload goes through scrubbedJson: no secret leaves by this way either.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { History, HistoryChange } from "./history.ts";
import { scrubbedJson } from "./secrets.ts";

/** A comment line this often keeps the connection from looking idle to anything in between. */
const KEEP_ALIVE_MS = 15_000;

export interface EventStreams {
  open(req: IncomingMessage, res: ServerResponse): void;
  /** Ends every stream (the server is stopping). */
  closeAll(): void;
}

export function createEventStreams(history: History): EventStreams {
  const open = new Set<ServerResponse>();
  const write = (res: ServerResponse, event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${scrubbedJson(data)}\n\n`);
  return {
    open(req, res) {
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      });
      res.write("retry: 1000\n\n");
      write(res, "snapshot", { limits: history.limits, entries: history.list() });
      const onChange = (change: HistoryChange) =>
        change.type === "entry" ? write(res, "entry", change.entry) : write(res, "dropped", { id: change.id });
      const unsubscribe = history.subscribe(onChange);
      const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), KEEP_ALIVE_MS);
      keepAlive.unref();
      open.add(res);
      req.on("close", () => {
        clearInterval(keepAlive);
        unsubscribe();
        open.delete(res);
      });
    },
    closeAll() {
      for (const res of open) res.end();
    },
  };
}
