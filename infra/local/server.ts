// The local receiver: one HTTP server on loopback that hands each request to a built bundle through its platform's
// own shape (Vercel `POST(Request)`, a Lambda HTTP API v2 event, Netlify `(Request, context)`). `hooks` let the local
// console (infra/local/console/) watch each platform request and answer the paths no platform serves.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Answer } from "../drive/entry-points.ts";
import type { LocalPlatform, LocalRequest } from "./platforms.ts";

/** One request to a platform's path, as the hooks see it. */
export interface ServedRequest {
  readonly platform: LocalPlatform;
  readonly request: LocalRequest;
  /** The headers as they arrived: name, value, name, value... (spelling, order and repeats kept). */
  readonly rawHeaders: readonly string[];
  /** The port the request came from (the console recognises its own Replay and Send by it). */
  readonly remotePort: number | undefined;
}

export interface LocalServerHooks {
  /** Runs the handling of each platform request: `handle` is the bundle's. */
  around?(served: ServedRequest, handle: () => Promise<Answer>): Promise<Answer>;
  /** Answers a request no platform serves, or returns false to leave it to the text index (or its 404). */
  serve?(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function indexPage(platforms: readonly LocalPlatform[], base: string, withConsole: boolean): string {
  const lines = platforms
    .filter((platform) => !platform.internal)
    .map((platform) => `  POST ${base}${platform.path}   (${platform.name}: ${platform.bundle})`);
  const consoleLine = withConsole ? `Console: open ${base}/ in a browser\n\n` : "";
  return `Commerce Layer webhook receiver (local)\n\n${consoleLine}${lines.join("\n")}\n\nSend a signed delivery: npm run send -- orders.place\n`;
}

/**
 * `platforms` are looked up at each request, not once: after a rebuild (`npm start` watching the sources) the same
 * server, on the same port, serves the new bundles behind them.
 */
export function createLocalServer(
  platforms: readonly LocalPlatform[],
  base: string,
  hooks: LocalServerHooks = {},
): Server {
  return createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? "/", base);
      const path = url.pathname.replace(/\/$/, "");
      const platform = platforms.find((candidate) => candidate.path === path);
      if (platform === undefined) {
        if (await hooks.serve?.(req, res, url)) return;
        const status = url.pathname === "/" ? 200 : 404;
        res
          .writeHead(status, { "content-type": "text/plain; charset=utf-8" })
          .end(indexPage(platforms, base, hooks.serve !== undefined));
        return;
      }
      const body = await readBody(req);
      const request: LocalRequest = {
        method: req.method ?? "GET",
        url,
        headers: req.headers,
        body,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
      };
      const handle = () => platform.handle(request);
      const served = { platform, request, rawHeaders: req.rawHeaders, remotePort: req.socket.remotePort };
      const response = await (hooks.around === undefined ? handle() : hooks.around(served, handle));
      res.writeHead(response.status, response.headers).end(response.body);
    } catch (error) {
      // A bundle should never throw; if one does, say so without a stack and keep serving.
      console.error(`local receiver: ${(error as Error).name}: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end('{"error":"local_receiver_error"}');
    }
  });
}
