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
import { type CallSteps, createPipeline, type IncomingCall, type Settled } from "../core/pipeline.ts";
import { failed, type Refusal, rejected } from "../core/result.ts";
import type { ReceiverRuntime } from "../core/runtime.ts";
import { documentOf, type ExternalDocument, errorDocument, InvalidResult, refusalMessage } from "./documents.ts";
import type { ExternalEvent, ExternalHandler, ExternalHandlers } from "./handlers.ts";
import { EXTERNAL_KIND_NAMES, EXTERNAL_KINDS, type ExternalKind, kindOfPath } from "./kinds.ts";
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

/** A call, and the document its handler's answer became (set by the kind's steps, sent by `answer`). */
interface ExternalCall extends IncomingCall {
  document?: ExternalDocument;
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

  /** Each kind's steps, made once: its secrets, its `data.type`, its handler and document. */
  const stepsOf = (kind: ExternalKind, handler: ExternalHandler<ExternalKind>): CallSteps<ExternalCall, Settled> => {
    const expected = EXTERNAL_KINDS[kind].resource;
    return {
      secrets: () => secretsOf(kind),
      secretSource: EXTERNAL_KINDS[kind].secretEnv,
      subject: { kind },
      accept: ({ data: { id, type } }): Refusal | undefined =>
        expected === undefined || type === expected
          ? undefined
          : rejected("resource_type_mismatch", { id, hint: `${kind} receives data.type ${expected}` }),
      handle: async (payload, call, watched): Promise<Settled | Refusal> => {
        const { id } = payload.data;
        let result: unknown;
        try {
          result = await watched(async () => handler(eventOf(kind, payload)));
        } catch (error) {
          // A throw is a failure with a generic code: its message stays in the log, never in the answer.
          return failed("handler_failed", { id, errors: [describeError(error)] });
        }
        try {
          call.document = documentOf(kind, result);
        } catch (error) {
          if (!(error instanceof InvalidResult)) throw error;
          return failed("invalid_handler_result", { id, hint: error.message });
        }
        const { status } = call.document;
        if (!isFailure(result)) return { outcome: "answered", id, status };
        return { outcome: "refused", id, status, reason: result.failure.code };
      },
    };
  };
  const steps = new Map<ExternalKind, CallSteps<ExternalCall, Settled>>();
  for (const kind of EXTERNAL_KIND_NAMES) {
    const handler = handlers[kind] as ExternalHandler<ExternalKind> | undefined;
    if (handler !== undefined) steps.set(kind, stepsOf(kind, handler));
  }

  async function answer(request: Parameters<HttpEndpoint["answer"]>[0]): Promise<HttpAnswer> {
    const path = request.path ?? new URL(request.url ?? "/", "http://localhost").pathname;
    const kind = options.kind ?? kindOfPath(path);
    const subject = subjectOf(kind);
    if (!isPost(request)) {
      return refusalAnswer(kind, pipeline.report(rejected("method_not_allowed"), subject));
    }
    const served = kind === undefined ? undefined : steps.get(kind);
    // Not served here: a 404 that says so, never a made-up document.
    if (kind === undefined || served === undefined) {
      return refusalAnswer(kind, pipeline.report(rejected("not_implemented"), subject));
    }
    const call: ExternalCall = callOf(request);
    const result = await pipeline.run(call, served);
    const settled = result.outcome === "answered" || result.outcome === "refused";
    return settled && call.document !== undefined
      ? documentAnswer(call.document)
      : refusalAnswer(kind, result as Refusal);
  }

  return {
    maxBodyBytes: pipeline.maxBodyBytes,
    answer,
    refuse: (refusal) => refusalAnswer(options.kind, pipeline.report(refusal, subjectOf(options.kind))),
  };
}
