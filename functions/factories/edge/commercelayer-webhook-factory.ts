// The edge factory file: build your own handlers into a Web `(request, context?) => Response` on Web Crypto and
// TextDecoder, with no Node built-in, so the same file runs as a Next.js or Vercel Edge route, a Netlify Edge Function
// (Deno), a Cloudflare Worker (workerd, no nodejs_compat), on Deno or Bun. Built to
// dist/factories/edge/commercelayer-webhook-factory.mjs, with types. On Node, prefer the platform's own factory:
// node:crypto verifies faster there. Its signPayload and verifySignature return Promises (Web Crypto is asynchronous).
// Where `process.env` is absent (Cloudflare) the secrets come from the options: a function of the request's context,
// so a Worker's `env` binding works.
import { parseSecretList } from "../../../shared/core/env.ts";
import { parseTopicSecrets, type TopicSecrets } from "../../../shared/core/topic-secrets.ts";
import { serveWeb, type WebHandler } from "../../../shared/web/adapter.ts";
import { WEB_RUNTIME } from "../../../shared/web/runtime.ts";
import { createWebhookReceiver, type WebhookOptions, webhookEndpoint } from "../../../shared/webhooks/receiver.ts";
import type { WebhookHandlers } from "../../../shared/webhooks/router.ts";

export { signPayload, verifySignature } from "../../../shared/web/signature.ts";
export type * from "../../../shared/webhooks/exported-types.ts";
export { withIncludes } from "../../../shared/webhooks/includes.ts";
export { defineWebhookHandlers } from "../../../shared/webhooks/router.ts";

/** A secret list as a comma-separated string (an environment variable as it is) or as an array. */
export type EdgeSecrets = string | readonly string[];

export interface EdgeWebhookOptions<Context = unknown> extends Omit<WebhookOptions, "secrets" | "topicSecrets"> {
  /**
   * The shared secrets, or a function that reads them for each request from its context (Cloudflare:
   * `(request, env) => env.COMMERCELAYER_WEBHOOK_SECRET`). Default: `COMMERCELAYER_WEBHOOK_SECRET` from
   * `process.env`, where the runtime has one (Vercel Edge, Netlify Edge, Deno, Bun). None: every delivery is 500.
   */
  readonly secrets?: EdgeSecrets | ((request: Request, context: Context) => EdgeSecrets | undefined);
  /**
   * Secrets bound to topics (`topic=secret,...`, as `npm run commercelayer -- apply` writes them), or a function that
   * reads them per request (Cloudflare: `(request, env) => env.COMMERCELAYER_WEBHOOK_TOPIC_SECRETS`). Default:
   * `COMMERCELAYER_WEBHOOK_TOPIC_SECRETS` from `process.env`, where the runtime has one.
   */
  readonly topicSecrets?: string | TopicSecrets | ((request: Request, context: Context) => string | undefined);
}

export type EdgeWebhookHandler<Context = unknown> = WebHandler<Context>;

const listOf = (secrets: EdgeSecrets | undefined): readonly string[] =>
  typeof secrets === "string" ? parseSecretList(secrets) : (secrets ?? []);

const mapOf = (bound: string | TopicSecrets | undefined): TopicSecrets | undefined =>
  typeof bound === "string" ? parseTopicSecrets(bound) : bound;

export function createEdgeWebhookHandler<Context = unknown>(
  handlers: WebhookHandlers,
  options: EdgeWebhookOptions<Context> = {},
): EdgeWebhookHandler<Context> {
  const { secrets, topicSecrets, ...rest } = options;
  const fixed = {
    ...(typeof secrets === "function" || secrets === undefined ? {} : { secrets: listOf(secrets) }),
    ...(typeof topicSecrets === "function" || topicSecrets === undefined ? {} : { topicSecrets: mapOf(topicSecrets) }),
  };
  const receiver = createWebhookReceiver(WEB_RUNTIME, handlers, { platform: "edge", ...rest, ...fixed });
  const endpoint = webhookEndpoint(receiver);
  if (typeof secrets !== "function" && typeof topicSecrets !== "function") return serveWeb(endpoint);
  // Read per request, before anything else can change them: a rotated binding applies at once.
  return serveWeb({
    ...endpoint,
    answer: (request) => {
      const platformRequest = request.platformRequest as Request;
      const context = request.platformContext as Context;
      return endpoint.answer({
        ...request,
        ...(typeof secrets === "function" ? { secrets: listOf(secrets(platformRequest, context)) } : {}),
        ...(typeof topicSecrets === "function" ? { topicSecrets: mapOf(topicSecrets(platformRequest, context)) } : {}),
      });
    },
  });
}
