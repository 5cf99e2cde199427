// The module worker the edge suites serve in every runtime: the built edge factory (worker-bundle.ts swaps this source
// import for the fixture build's file) around the suites' edge handlers, configured the two ways a user would.
//   x-edge-test-secrets: process (or no header): `createEdgeWebhookHandler(edgeHandlers)`, no options, so the secret
//     and the body limit come from process.env, as on Vercel's edge runtime, Deno and Bun (workerd has no process:
//     there it must fail closed);
//   x-edge-test-secrets: context: the Cloudflare form, the secrets read at each request from the Worker's env by the
//     secrets and topicSecrets options, and the body limit given from the same env as maxBodyBytes (one handler per limit);
//   x-edge-test-env: JSON variables laid over the Worker's env, a contract case's own (context form only).
// So one runtime process serves every row of the contract table. Both headers are removed before the factory runs.
import {
  createEdgeWebhookHandler,
  type EdgeWebhookHandler,
} from "../../../functions/factories/edge/commercelayer-webhook-factory.ts";
import { edgeHandlers } from "../../fixtures/edge-handlers.ts";
import { ENV_HEADER, SECRETS_HEADER } from "./worker-headers.ts";

type WorkerEnv = Readonly<Record<string, string | undefined>>;

const fromProcess = createEdgeWebhookHandler(edgeHandlers);
const fromContext = new Map<string, EdgeWebhookHandler<WorkerEnv>>();

function contextHandler(env: WorkerEnv): EdgeWebhookHandler<WorkerEnv> {
  const limit = env.COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES ?? "";
  let handler = fromContext.get(limit);
  if (handler === undefined) {
    handler = createEdgeWebhookHandler<WorkerEnv>(edgeHandlers, {
      secrets: (_request, context) => context.COMMERCELAYER_WEBHOOK_SECRET,
      topicSecrets: (_request, context) => context.COMMERCELAYER_WEBHOOK_TOPIC_SECRETS,
      ...(limit === "" ? {} : { maxBodyBytes: Number(limit) }),
    });
    fromContext.set(limit, handler);
  }
  return handler;
}

/** A mistake in the suite's own headers: a 418, so that no contract answer can be mistaken for it. */
const misuse = (message: string) => new Response(`edge test entry: ${message}`, { status: 418 });

/**
 * The request without the test headers. Edited in place where its headers may change (Bun): a copy's body is a new
 * stream over the upload's, and on Bun cancelling the copy's (the factory stops reading past the limit) leaves the
 * upload unread and the response never sent. Elsewhere the headers are immutable, and a copy does.
 */
function withoutTestHeaders(request: Request): Request {
  try {
    request.headers.delete(SECRETS_HEADER);
    request.headers.delete(ENV_HEADER);
    return request;
  } catch {
    const headers = new Headers(request.headers);
    headers.delete(SECRETS_HEADER);
    headers.delete(ENV_HEADER);
    return new Request(request, { headers });
  }
}

export default {
  async fetch(request: Request, env: WorkerEnv): Promise<Response> {
    const form = request.headers.get(SECRETS_HEADER) ?? "process";
    const caseEnv = request.headers.get(ENV_HEADER);
    const stripped = withoutTestHeaders(request);
    if (form === "process") {
      return caseEnv === null ? fromProcess(stripped) : misuse(`${ENV_HEADER} needs ${SECRETS_HEADER}: context`);
    }
    if (form !== "context") return misuse(`${SECRETS_HEADER} is process or context, not ${form}`);
    const context: WorkerEnv = { ...env, ...(caseEnv === null ? {} : (JSON.parse(caseEnv) as WorkerEnv)) };
    return contextHandler(context)(stripped, context);
  },
};
