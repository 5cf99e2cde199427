// The local receiver: one HTTP server on loopback that hands each request to a built bundle through its platform's
// own shape (Vercel `POST(Request)`, a Lambda HTTP API v2 event, Netlify `(Request, context)`).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { LocalPlatform } from "./platforms.ts";

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function indexPage(platforms: readonly LocalPlatform[], base: string): string {
  const lines = platforms
    .filter((platform) => !platform.internal)
    .map((platform) => `  POST ${base}${platform.path}   (${platform.name}: ${platform.bundle})`);
  return `Commerce Layer webhook receiver (local)\n\n${lines.join("\n")}\n\nSend a signed delivery: npm run send -- orders.place\n`;
}

/**
 * `platforms` are looked up at each request, not once: after a rebuild (`npm start` watching the sources) the same
 * server, on the same port, serves the new bundles behind them.
 */
export function createLocalServer(platforms: readonly LocalPlatform[], base: string): Server {
  return createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const url = new URL(req.url ?? "/", base);
      const path = url.pathname.replace(/\/$/, "");
      const platform = platforms.find((candidate) => candidate.path === path);
      if (platform === undefined) {
        const status = url.pathname === "/" ? 200 : 404;
        res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(indexPage(platforms, base));
        return;
      }
      const body = await readBody(req);
      const response = await platform.handle({
        method: req.method ?? "GET",
        url,
        headers: req.headers,
        body,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
      });
      res.writeHead(response.status, response.headers).end(response.body);
    } catch (error) {
      // A bundle should never throw; if one does, say so without a stack and keep serving.
      console.error(`local receiver: ${(error as Error).name}: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end('{"error":"local_receiver_error"}');
    }
  });
}
