// Which request a log line belongs to. Each request is handled inside an AsyncLocalStorage context naming its entry;
// everything the bundle and the handlers log from there on, across awaits, timers and Vercel's waitUntil (which runs
// in the same process, in promises started by the request), is in that context. The deferred runs that start
// elsewhere (the SQS poller, the request Netlify's bundle sends to its background function) are given the context of
// the entry they belong to (history.ts: deferredOwner) before they run.
//
// The lines are taken at console.log/info/warn/error/debug, as the bundles write them (JSON), and still printed as
// before: the wrapper hands them on to what it replaced.
import { AsyncLocalStorage } from "node:async_hooks";
import { format } from "node:util";
import type { History } from "./history.ts";

export interface LogOwner {
  readonly entryId: number;
  /** A deferred run from a queue or background function. */
  readonly deferred: boolean;
}

const METHODS = ["log", "info", "debug", "warn", "error"] as const;
type Method = (typeof METHODS)[number];

const streamOf = (method: Method) => (method === "warn" || method === "error" ? method : "log");

export interface LogCapture {
  /** Runs `work` with its log lines going to `owner`'s entry. */
  run<T>(owner: LogOwner, work: () => Promise<T>): Promise<T>;
  /** Starts taking lines (call it after anything else that wraps console methods, to get the lines as written). */
  install(): void;
  uninstall(): void;
}

export function createLogCapture(history: History): LogCapture {
  const storage = new AsyncLocalStorage<LogOwner>();
  const replaced = new Map<Method, (...args: unknown[]) => void>();
  return {
    run: (owner, work) => storage.run(owner, work),
    install() {
      for (const method of METHODS) {
        if (replaced.has(method)) continue;
        const original = console[method];
        replaced.set(method, original);
        console[method] = (...args: unknown[]) => {
          const owner = storage.getStore();
          if (owner !== undefined) {
            try {
              history.logged(owner.entryId, {
                text: format(...args),
                stream: streamOf(method),
                deferred: owner.deferred,
              });
            } catch {
              // The console must never make a handler's log call throw.
            }
          }
          original.apply(console, args);
        };
      }
    },
    uninstall() {
      for (const [method, original] of replaced) console[method] = original;
      replaced.clear();
    },
  };
}
