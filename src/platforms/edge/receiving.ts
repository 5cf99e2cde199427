// Web-standard runtimes, receiving side: `(request, context?) => Response` on Web Crypto and TextDecoder, with no Node
// built-in, so the same file runs as a Next.js or Vercel Edge route, a Netlify Edge Function (Deno), a Cloudflare Worker
// (workerd, no nodejs_compat), on Deno or Bun. Where `process.env` is absent (Cloudflare) the secrets come from the
// options: a function of the request's context, so a Worker's `env` binding works.
import { toHttpAnswer } from "../../core/answer.ts";
import { parseSecretList } from "../../core/env.ts";
import type { ReceiverOptions } from "../../core/receiver.ts";
import { createReceiver } from "../../core/receiver.ts";
import { receiveRequest } from "../../core/request.ts";
import type { WebhookHandlers } from "../../core/router.ts";
import { WEB_RUNTIME } from "../../core/web-runtime.ts";
import { toResponse, toWebhookRequest } from "../../shapes/web.ts";

/** A secret list as a comma-separated string (an environment variable as it is) or as an array. */
export type EdgeSecrets = string | readonly string[];

export interface EdgeWebhookOptions<Context = unknown> extends Omit<ReceiverOptions, "platform" | "secrets"> {
  /**
   * The shared secrets, or a function that reads them for each request from its context (Cloudflare:
   * `(request, env) => env.COMMERCELAYER_WEBHOOK_SECRET`). Default: `COMMERCELAYER_WEBHOOK_SECRET` from
   * `process.env`, where the runtime has one (Vercel Edge, Netlify Edge, Deno, Bun). None: every delivery is 500.
   */
  readonly secrets?: EdgeSecrets | ((request: Request, context: Context) => EdgeSecrets | undefined);
  /** The log lines' platform label; default `edge`. */
  readonly platform?: string;
}

export type EdgeWebhookHandler<Context = unknown> = (request: Request, context?: Context) => Promise<Response>;

const listOf = (secrets: EdgeSecrets | undefined): readonly string[] =>
  typeof secrets === "string" ? parseSecretList(secrets) : (secrets ?? []);

export function createEdgeWebhookHandler<Context = unknown>(
  handlers: WebhookHandlers,
  options: EdgeWebhookOptions<Context> = {},
): EdgeWebhookHandler<Context> {
  const { secrets, platform = "edge", ...rest } = options;
  const fixed = typeof secrets === "function" || secrets === undefined ? {} : { secrets: listOf(secrets) };
  const receiver = createReceiver(WEB_RUNTIME, handlers, { platform, ...rest, ...fixed });
  return async (request, context) => {
    const incoming = await toWebhookRequest(request, receiver.maxBodyBytes());
    // Read per request, before anything else can change them: a rotated binding applies at once.
    const perRequest = typeof secrets === "function" ? { secrets: listOf(secrets(request, context as Context)) } : {};
    return toResponse(toHttpAnswer(await receiveRequest(receiver, { ...incoming, ...perRequest })));
  };
}
