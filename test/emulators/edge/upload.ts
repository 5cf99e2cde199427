// A POST whose body is written a piece at a time, on a connection of its own, that tells an answer from a connection
// the server closed. A server may answer before it has read the whole body (a body over the limit) and then close the
// connection on the unread rest: the client then sees EPIPE or ECONNRESET, with or without the answer, depending on
// timing. Each upload gets a fresh connection, so one that was closed that way cannot fail the next request.
import { request } from "node:http";
import type { HttpAnswer } from "../../support/http.ts";

export interface Upload {
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** Bytes per write; the writes are a tick apart, so the server reads the body in many pieces. */
  readonly chunkSize: number;
  /** Send Content-Length (else the body is chunk-encoded). */
  readonly declared?: boolean;
  /** A server that neither answers nor closes within this is a failure (default 5 s). */
  readonly timeoutMs?: number;
}

/** The answer, or, when the server closed the connection before one could be read, the error code the client saw. */
export type UploadResult = { readonly answer: HttpAnswer } | { readonly closed: string };

export function upload(url: string, options: Upload): Promise<UploadResult> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise((resolve, reject) => {
    let settled = false;
    let closedWith = "closed";
    const settle = (result: UploadResult | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const headers = { ...options.headers };
    if (options.declared) headers["content-length"] = String(options.body.length);
    const req = request(url, { method: "POST", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        settle({
          answer: { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") },
        }),
      );
      res.on("error", (error: NodeJS.ErrnoException) => settle({ closed: error.code ?? error.message }));
    });
    // A write error is not the end: the answer may still arrive. The request closes once nothing more can.
    req.on("error", (error: NodeJS.ErrnoException) => (closedWith = error.code ?? error.message));
    req.on("close", () => setImmediate(() => settle({ closed: closedWith })));
    const timer = setTimeout(
      () => settle(new Error(`no answer within ${timeoutMs} ms and the connection still open: the server hangs`)),
      timeoutMs,
    );
    let offset = 0;
    const writeNext = () => {
      if (settled || req.destroyed) return;
      if (offset >= options.body.length) {
        req.end();
        return;
      }
      req.write(options.body.subarray(offset, offset + options.chunkSize));
      offset += options.chunkSize;
      setImmediate(writeNext);
    };
    writeNext();
  });
}
