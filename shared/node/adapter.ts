// The Node adapter, `(req, res)`: Next.js pages-router API routes, Vercel functions in the Node signature, Express and
// any node:http server. The exact body bytes of an `IncomingMessage`, wherever they are by the time the handler runs:
// - Vercel's Node helpers (on by default) read the whole body first, then replay it to `data`/`end` listeners only
//   (async iteration and pipe see nothing), and put a lazy parser on `req.body`: so we listen to `data`/`end` and
//   never touch that getter.
// - Frameworks that kept the bytes (`express.raw()`, `req.rawBody`) hand them over as a Buffer.
// - A framework that parsed the body into an object (Next.js pages router without `bodyParser: false`,
//   `express.json()`) has thrown the bytes away: the signature can no longer be checked.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HttpAnswer } from "../core/answer.ts";
import { type HttpEndpoint, isPost } from "../core/endpoint.ts";
import { failed, rejected } from "../core/result.ts";

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export type NodeBody =
  | { readonly kind: "bytes"; readonly bytes: Uint8Array; readonly tooLarge: boolean }
  | { readonly kind: "lost"; readonly reason: "body_already_parsed" | "body_already_consumed" };

const bytes = (value: Uint8Array, tooLarge = false): NodeBody => ({ kind: "bytes", bytes: value, tooLarge });

function bodyKeptByFramework(req: IncomingMessage): NodeBody | undefined {
  const rawBody = (req as { rawBody?: unknown }).rawBody;
  if (rawBody instanceof Uint8Array) return bytes(rawBody);
  // Only a plain value counts: a getter is Vercel's lazy parser, and reading it would parse (and may throw).
  const own = Object.getOwnPropertyDescriptor(req, "body");
  if (own === undefined || !("value" in own) || own.value === undefined) return undefined;
  if (own.value instanceof Uint8Array) return bytes(own.value);
  // A string body came from text decoding of UTF-8 bytes; encoding it again gives the same bytes back.
  if (typeof own.value === "string") return bytes(Buffer.from(own.value, "utf8"));
  return { kind: "lost", reason: "body_already_parsed" };
}

export function readNodeBody(req: IncomingMessage, maxBodyBytes: number): Promise<NodeBody> {
  const kept = bodyKeptByFramework(req);
  if (kept !== undefined) return Promise.resolve(kept);
  // Vercel's helpers install their own `on` to replay the body they buffered; otherwise an ended stream is gone.
  const replayed = Object.hasOwn(req, "on");
  if (req.readableEnded && !replayed) return Promise.resolve({ kind: "lost", reason: "body_already_consumed" });
  const declared = Number(req.headers["content-length"]);
  if (declared > maxBodyBytes) return Promise.resolve(bytes(new Uint8Array(maxBodyBytes + 1), true));

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const settle = (done: () => void) => {
      // Not chained: Vercel's helpers make `req.on` return their replay stream, not `req`.
      req.removeListener("data", onData);
      req.removeListener("end", onEnd);
      req.removeListener("error", onError);
      done();
    };
    // Buffers are joined once at the end: decoding chunk by chunk would break multi-byte characters split in two.
    const onData = (chunk: Buffer | string) => {
      const piece = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
      chunks.push(piece);
      total += piece.length;
      if (total > maxBodyBytes) settle(() => resolve(bytes(Buffer.concat(chunks, total), true)));
    };
    const onEnd = () => settle(() => resolve(bytes(Buffer.concat(chunks, total))));
    const onError = (error: Error) => settle(() => reject(error));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

const LOST_BODY_HINT =
  "body parsed before this handler: in Next.js pages export const config = { api: { bodyParser: false } }, in Express use express.raw()";

function writeAnswer(res: ServerResponse, answer: HttpAnswer, closeConnection: boolean): void {
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  // Over the limit: answer at once and drop the connection rather than read the rest of the body.
  if (closeConnection) res.setHeader("connection", "close");
  res.end(answer.body);
}

/** An endpoint served as `(req, res)`. */
export function serveNode(endpoint: HttpEndpoint): NodeHandler {
  return async (req, res) => {
    const method = req.method ?? "GET";
    // Only a POST body is read; any other method gets its 405 from the receiver without reading anything.
    let body: NodeBody = { kind: "bytes", bytes: new Uint8Array(0), tooLarge: false };
    try {
      if (isPost({ method })) body = await readNodeBody(req, endpoint.maxBodyBytes());
    } catch {
      // The sender went away mid-body: nothing to verify and nobody to answer. Settle quietly, so that a server
      // calling this without a catch does not die of an unhandled rejection.
      endpoint.refuse(rejected("body_aborted"));
      res.destroy();
      return;
    }
    if (body.kind === "lost") {
      // Not a 401: the sender is probably genuine, and the fix is in this app's set-up.
      writeAnswer(res, endpoint.refuse(failed(body.reason, { hint: LOST_BODY_HINT })), false);
      return;
    }
    const path = req.url?.split("?")[0];
    writeAnswer(res, await endpoint.answer({ method, headers: req.headers, body: body.bytes, path }), body.tooLarge);
    if (body.tooLarge) res.once("finish", () => req.destroy());
  };
}
