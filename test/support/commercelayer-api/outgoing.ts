// The stand-in's calls out, as Commerce Layer makes them: a POST of exact bytes, signed with base64(HMAC-SHA256(shared
// secret, body)), given a few seconds to answer. Sent with node:http rather than fetch, so that the bytes and the
// headers are exactly these and a slow endpoint is cut off at the deadline.
import { createHmac } from "node:crypto";
import { request as httpRequest, STATUS_CODES } from "node:http";
import { request as httpsRequest } from "node:https";

/** base64(HMAC-SHA256(secret, body)): the value of `X-CommerceLayer-Signature`. */
export function signBody(secret: string, body: Buffer): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

export interface Outcome {
  /** A 2xx answer within the deadline. */
  readonly ok: boolean;
  /** The answer's status, or null when none came (connection refused, reset, timed out). */
  readonly status: number | null;
  /** The answer's reason phrase (`OK`, `Internal Server Error`), or what went wrong when none came. */
  readonly message: string;
  /** The answer's body as text (the first MB). */
  readonly body: string;
}

const MAX_ANSWER_BYTES = 1024 * 1024;

export function postSigned(
  url: string,
  body: Buffer,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<Outcome> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({ ok: false, status: null, message: `invalid URL ${url}`, body: "" });
  }
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(outcome);
    };
    const failed = (message: string) => settle({ ok: false, status: null, message, body: "" });
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const request = send(
      target,
      { method: "POST", headers: { ...headers, "content-length": String(body.length) } },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
        });
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          settle({
            ok: status >= 200 && status < 300,
            status,
            message: response.statusMessage || STATUS_CODES[status] || "",
            body: Buffer.concat(chunks).toString("utf8"),
          });
        });
        response.on("error", (error) => failed(error.message));
      },
    );
    // Commerce Layer counts an answer later than its deadline as a failed delivery, whatever comes after.
    const deadline = setTimeout(() => {
      failed(`no answer within ${timeoutMs} ms`);
      request.destroy();
    }, timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => failed(error.code ?? error.message));
    request.end(body);
  });
}
