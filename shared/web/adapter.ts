// The Web-standard adapter, `(request: Request, context?) => Response`: Vercel functions, Next.js App Router routes,
// Netlify v2 functions and the Netlify background worker, and the edge factory (Vercel and Netlify Edge, Cloudflare
// Workers, Deno, Bun). The body as bytes, read no further than the limit, and the answer as a Response.
import type { HttpAnswer } from "../core/answer.ts";
import { type HttpEndpoint, type HttpRequest, isPost } from "../core/endpoint.ts";

export type WebHandler<Context = unknown> = (request: Request, context?: Context) => Promise<Response>;

/**
 * The body's exact bytes. A declared length over the limit is refused without reading; an undeclared (chunked) body is
 * read only until it passes the limit, and what was read (limit + 1 bytes or more) lets the core answer 413.
 */
export async function readWebBody(request: Request, maxBodyBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBodyBytes) return new Uint8Array(maxBodyBytes + 1);
  // Before `request.body`: reading that getter makes Deno and Bun build a stream that arrayBuffer() then has to drain
  // (1.1 to 1.4× the cost of reading the body without it). A declared length with no body reads as 0 bytes all the same.
  if (Number.isFinite(declared)) return new Uint8Array(await request.arrayBuffer());
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    if (total > maxBodyBytes) {
      // Not awaited: where the runtime tees the body (Vercel's edge runtime does), cancelling one branch settles only
      // once the other is cancelled too, so awaiting it would never answer the 413.
      void reader.cancel().catch(() => {});
      break;
    }
  }
  // No Buffer: this adapter also serves the edge factory, on runtimes that have none.
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** The endpoint's request; only a POST body is read (any other method gets its 405 without reading anything). */
export async function toHttpRequest(request: Request, maxBodyBytes: number, context?: unknown): Promise<HttpRequest> {
  const { method, headers, url } = request;
  const body = isPost(request) ? await readWebBody(request, maxBodyBytes) : "";
  return { method, headers, body, url, platformRequest: request, platformContext: context };
}

export function toResponse(answer: HttpAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** An endpoint served as `(request, context?) => Response`. */
export function serveWeb<Context = unknown>(endpoint: HttpEndpoint): WebHandler<Context> {
  return async (request, context) =>
    toResponse(await endpoint.answer(await toHttpRequest(request, endpoint.maxBodyBytes(), context)));
}
