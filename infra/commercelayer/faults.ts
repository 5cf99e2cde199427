// Every failure ends the command with one line that says what failed and what to do: a refused token, an API error
// (read from the SDK's error types), a rate limit that outlasted the retries, an unreachable endpoint. No stack trace.
import { type ApiError, CommerceLayerStatic } from "@commercelayer/sdk";

/** A failure already worded for the user: exit 1. */
export class Fault extends Error {}

/** A command line that cannot be run as written: the line, the usage, exit 2. */
export class UsageError extends Fault {}

interface ApiErrorEntry {
  readonly title?: string;
  readonly detail?: string;
  readonly source?: { readonly pointer?: string; readonly parameter?: string };
}

const HINTS: Record<number, string> = {
  401: "the API refused the integration's token: are COMMERCELAYER_API_ENDPOINT and the credentials of the same organization?",
  403: "the integration may not do this: managing webhooks needs an admin integration",
  404: "not found: it may have been deleted meanwhile; run the command again",
  422: "Commerce Layer refused the values",
  429: "still rate limited after several tries: run again in a minute",
};

/** An API error entry in its own words: `include_resources - is invalid: x`, `Invalid token: The access ...`. */
function entryText({ title, detail, source }: ApiErrorEntry): string {
  const text = detail ? (title && !detail.includes(title) ? `${title}: ${detail}` : detail) : (title ?? "");
  const where = source?.pointer?.replace(/^\/data\/attributes\//, "") ?? source?.parameter;
  return where && !text.startsWith(where) ? `${where}: ${text}` : text;
}

function apiErrorLine(error: ApiError): string {
  const details = ((error.errors ?? []) as ApiErrorEntry[]).map(entryText).filter(Boolean).slice(0, 3);
  const status = Number(error.status);
  const hint = HINTS[status] ?? (status >= 500 ? "Commerce Layer failed to answer: run again" : undefined);
  const head = `${error.status ?? "?"} ${error.statusText ?? ""}`.trim();
  return head + (details.length > 0 ? ` (${details.join("; ")})` : "") + (hint ? `: ${hint}` : "");
}

/**
 * The cause of a network failure as Node names it (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET...): fetch rejects with a
 * TypeError whose `cause` says what happened. Undefined for any other error.
 */
export function networkCause(error: unknown): string | undefined {
  if (!(error instanceof TypeError && error.message === "fetch failed")) return undefined;
  let cause: unknown = error.cause;
  for (let depth = 0; depth < 4 && cause instanceof Error; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") return code;
    if (!(cause.cause instanceof Error)) return cause.message;
    cause = cause.cause;
  }
  return "no answer";
}

/** One line for any error. */
export function describeFault(error: unknown): string {
  if (error instanceof Fault) return error.message;
  // The SDK's error classes are types only in its package's exports: its own type guards tell them.
  if (CommerceLayerStatic.isApiError(error)) return apiErrorLine(error);
  // What the transport (client.ts) throws reaches here wrapped in the SDK's error.
  if (CommerceLayerStatic.isSdkError(error) && error.source instanceof Fault) return error.source.message;
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] || "unknown error";
}

/** Runs one request, naming it in the line of its failure: `create webhook orders.place: 422 ...`. */
export async function step<T>(what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw new Fault(`${what}: ${describeFault(error)}`);
  }
}
