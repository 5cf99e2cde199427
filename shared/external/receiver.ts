// The external-resource side of the pipeline (shared/core/pipeline.ts): the kind from the URL (the only thing that
// names it), that kind's own secrets (a secret of another Commerce Layer resource never verifies), `data.type` against
// the kind, then the kind's handler; its result or failure becomes the document Commerce Layer reads (documents.ts).
import type { HttpAnswer } from "../core/answer.ts";
import { jsonAnswer, statusOf } from "../core/answer.ts";
import { callOf, type HttpEndpoint, isPost } from "../core/endpoint.ts";
import { secretsFromEnv } from "../core/env.ts";
import { lookupsIn } from "../core/included.ts";
import { describeError, type ExternalLogger, logExternalAsJson } from "../core/log.ts";
import type { WebhookPayload } from "../core/payload.ts";
import { createPipeline } from "../core/pipeline.ts";
import type { Refusal } from "../core/result.ts";
import type { ReceiverRuntime } from "../core/runtime.ts";
import { documentOf, type ExternalDocument, errorDocument, InvalidResult, refusalMessage } from "./documents.ts";
import type { ExternalEvent, ExternalHandler, ExternalHandlers } from "./handlers.ts";
import { EXTERNAL_KINDS, type ExternalKind, kindOfPath } from "./kinds.ts";
import { isFailure } from "./results.ts";

/** The environment variable a kind's secret is in: named after the Commerce Layer resource that holds it. */
export type ExternalSecretEnv = (typeof EXTERNAL_KINDS)[ExternalKind]["secretEnv"];

export interface ExternalOptions {
  /**
   * Secrets per variable (`{ COMMERCELAYER_TAX_CALCULATOR_SECRET: [...] }`), or a function of the kind. Default: the
   * kind's environment variable (comma-separated: several markets, a rotation), read at every call.
   */
  readonly secrets?:
    | Partial<Readonly<Record<ExternalSecretEnv, readonly string[]>>>
    | ((kind: ExternalKind) => readonly string[] | undefined);
  /** Serve this kind whatever the URL; default: the kind the URL's path ends in. */
  readonly kind?: ExternalKind;
  readonly maxBodyBytes?: number;
  /** Milliseconds after which a handler still running is logged once as `at_risk`; 0 turns it off. Default 4000. */
  readonly handlerBudgetMs?: number;
  readonly log?: ExternalLogger;
  readonly platform?: string;
}

/** A call the handler settled: its result (`answered`) or its failure(...) (`refused`), and the document's status. */
interface Answered {
  readonly outcome: "answered" | "refused";
  readonly id: string;
  readonly status: number;
  readonly reason?: string;
}

function documentAnswer(document: ExternalDocument): HttpAnswer {
  return jsonAnswer(document.status, JSON.stringify(document.body));
}

/** The kind's events: `data` and lookups in `included`, as webhook events have them. */
function eventOf<K extends ExternalKind>(kind: K, payload: WebhookPayload): ExternalEvent<K> {
  const data = payload.data as ExternalEvent<K>["data"];
  return { kind, id: data.id, data, payload: payload as ExternalEvent<K>["payload"], ...lookupsIn(payload) };
}

export function createExternalReceiver(
  runtime: ReceiverRuntime,
  handlers: ExternalHandlers,
  options: ExternalOptions = {},
): HttpEndpoint {
  const pipeline = createPipeline(runtime, options, (options.log ?? logExternalAsJson) as (entry: object) => void);
  const secretsOf = (kind: ExternalKind): readonly string[] => {
    const { secrets } = options;
    if (typeof secrets === "function") return secrets(kind) ?? [];
    const variable = EXTERNAL_KINDS[kind].secretEnv;
    return secrets?.[variable] ?? secretsFromEnv(variable);
  };
  const subjectOf = (kind: ExternalKind | undefined) => (kind === undefined ? {} : { kind });
  /** A refusal as the kind's error document, with the status answer.ts gives its reason. */
  const refusalAnswer = (kind: ExternalKind | undefined, refusal: Refusal): HttpAnswer =>
    documentAnswer(errorDocument(kind, statusOf(refusal), refusal.reason, refusalMessage(refusal.reason)));

  async function answer(request: Parameters<HttpEndpoint["answer"]>[0]): Promise<HttpAnswer> {
    const path = request.path ?? new URL(request.url ?? "/", "http://localhost").pathname;
    const kind = options.kind ?? kindOfPath(path);
    const subject = subjectOf(kind);
    if (!isPost(request)) {
      return refusalAnswer(kind, pipeline.report({ outcome: "rejected", reason: "method_not_allowed" }, subject));
    }
    const handler = kind === undefined ? undefined : (handlers[kind] as ExternalHandler<ExternalKind> | undefined);
    // Not served here: a 404 that says so, never a made-up document.
    if (kind === undefined || handler === undefined) {
      return refusalAnswer(kind, pipeline.report({ outcome: "rejected", reason: "not_implemented" }, subject));
    }
    const expected = EXTERNAL_KINDS[kind].resource;
    let document: ExternalDocument | undefined;
    const result = await pipeline.run<Answered | Refusal>(callOf(request), {
      secrets: secretsOf(kind),
      secretSource: EXTERNAL_KINDS[kind].secretEnv,
      subject,
      accept: ({ data: { id, type } }): Refusal | undefined =>
        expected === undefined || type === expected
          ? undefined
          : {
              outcome: "rejected",
              reason: "resource_type_mismatch",
              id,
              hint: `${kind} receives data.type ${expected}`,
            },
      handle: async (payload, watched): Promise<Answered | Refusal> => {
        const { id } = payload.data;
        let result: unknown;
        try {
          result = await watched(async () => handler(eventOf(kind, payload)));
        } catch (error) {
          // A throw is a failure with a generic code: its message stays in the log, never in the answer.
          return { outcome: "failed", reason: "handler_failed", id, errors: [describeError(error)] };
        }
        try {
          document = documentOf(kind, result);
        } catch (error) {
          if (!(error instanceof InvalidResult)) throw error;
          return { outcome: "failed", reason: "invalid_handler_result", id, hint: error.message };
        }
        if (!isFailure(result)) return { outcome: "answered", id, status: document.status };
        return { outcome: "refused", id, status: document.status, reason: result.failure.code };
      },
    });
    const settled = result.outcome === "answered" || result.outcome === "refused";
    return settled && document !== undefined ? documentAnswer(document) : refusalAnswer(kind, result as Refusal);
  }

  return {
    maxBodyBytes: pipeline.maxBodyBytes,
    answer,
    refuse: (refusal) => refusalAnswer(options.kind, pipeline.report(refusal, subjectOf(options.kind))),
  };
}
