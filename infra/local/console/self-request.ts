// Replay and Send go over HTTP to the receiver itself, as any sender's request does, so that they are handled (and
// recorded) exactly as one. To tell the console which entry a request of its own became, without adding a header the
// bundle would see, each goes on a connection of its own whose local port is registered before a byte is sent: the
// server sees that port as the request's remote port (console.ts: `origins`).
import { request } from "node:http";

export interface SelfRequest {
  readonly method: string;
  /** Path and query. */
  readonly target: string;
  /** Name, value, name, value... in the order to send them. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
}

/** Set by the connection, not by the request: a new connection sets its own. */
const CONNECTION_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "content-length"]);

/** The headers to send again: as they arrived (Host included), less the connection's own, and the body's length. */
export function resentHeaders(rawHeaders: readonly string[], body: Buffer, method: string): string[] {
  const headers: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index] as string;
    if (!CONNECTION_HEADERS.has(name.toLowerCase())) headers.push(name, rawHeaders[index + 1] as string);
  }
  if (method !== "GET" && method !== "HEAD") headers.push("content-length", String(body.length));
  return headers;
}

function withHost(headers: string[], port: number): string[] {
  const named = headers.some((part, index) => index % 2 === 0 && part.toLowerCase() === "host");
  return named ? headers : ["host", `127.0.0.1:${port}`, ...headers];
}

/** Sends `sent` to 127.0.0.1:`port`; `connected(localPort)` runs before the request is written. */
export function sendToSelf(
  port: number,
  sent: SelfRequest,
  connected: (localPort: number) => void,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: "127.0.0.1",
      port,
      method: sent.method,
      path: sent.target,
      headers: withHost(resentHeaders(sent.rawHeaders, sent.body, sent.method), port),
      agent: false,
    });
    req.on("socket", (socket) =>
      socket.once("connect", () => {
        connected(socket.localPort ?? 0);
        req.end(sent.body);
      }),
    );
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}
