// The pipeline for external-resource calls, as the webhook receiver's (src/core/receiver.ts) but answering a document:
// the kind from the URL (the only thing that names it), that kind's own secrets (a secret of another Commerce Layer
// resource never verifies), the body limit before hashing, the signature before parsing, `data.type` against the kind,
// then the handler; its result or failure becomes the document (documents.ts). One log line per call.
import type { HttpAnswer } from "../core/answer.ts";
import { JSON_HEADERS, statusOf } from "../core/answer.ts";
import type { HttpEndpoint } from "../core/endpoint.ts";
import { handlerBudgetMsFromEnv, MAX_BODY_ENV, maxBodyBytesFromEnv, secretsFromEnv } from "../core/env.ts";
import { lookupsIn } from "../core/included.ts";
import { describeError } from "../core/log.ts";
import { parsePayload } from "../core/receiver.ts";
import { deliveryOf, type WebhookRequest } from "../core/request.ts";
import type { DeliveryResult } from "../core/result.ts";
import type { ReceiverRuntime } from "../core/runtime.ts";
import { documentOf, type ExternalDocument, errorDocument, InvalidResult } from "./documents.ts";
import type { ExternalEvent, ExternalHandler, ExternalHandlers } from "./handlers.ts";
import { EXTERNAL_KINDS, type ExternalKind, kindOfPath } from "./kinds.ts";
import { type ExternalLogEntry, type ExternalLogger, logExternalAsJson } from "./log.ts";
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

const DOCUMENT_HEADERS = JSON_HEADERS;

interface Refused {
  readonly outcome: "rejected" | "failed";
  /** A webhook reason name (result.ts), or `resource_type_mismatch` (400). */
  readonly reason: string;
  readonly id?: string;
  readonly hint?: string;
}

function answerOf(document: ExternalDocument): HttpAnswer {
  const headers = document.status === 405 ? { ...DOCUMENT_HEADERS, allow: "POST" } : DOCUMENT_HEADERS;
  return { status: document.status, headers, body: JSON.stringify(document.body) };
}

/** The kind's events: `data` and lookups in `included`, as webhook events have them. */
function eventOf<K extends ExternalKind>(kind: K, payload: ReturnType<typeof parsePayload> & object): ExternalEvent<K> {
  const data = payload.data as ExternalEvent<K>["data"];
  return {
    kind,
    id: data.id,
    data,
    payload: payload as ExternalEvent<K>["payload"],
    ...lookupsIn(payload),
  };
}

export function createExternalEndpoint(
  runtime: ReceiverRuntime,
  handlers: ExternalHandlers,
  options: ExternalOptions = {},
): HttpEndpoint {
  const log = options.log ?? logExternalAsJson;
  const label = options.platform === undefined ? {} : { platform: options.platform };
  const maxBodyBytes = () => options.maxBodyBytes ?? maxBodyBytesFromEnv();
  const secretsOf = (kind: ExternalKind): readonly string[] => {
    const { secrets } = options;
    const variable = EXTERNAL_KINDS[kind].secretEnv;
    if (typeof secrets === "function") return secrets(kind) ?? [];
    return secrets?.[variable] ?? secretsFromEnv(variable);
  };

  function finish(entry: Omit<ExternalLogEntry, "ms">, document: ExternalDocument, started: number): HttpAnswer {
    log({ ...label, ...entry, status: document.status, ms: Math.round((performance.now() - started) * 100) / 100 });
    return answerOf(document);
  }

  /** A refusal before any handler ran, with the webhook receiver's reason names and statuses (answer.ts). */
  function refusal(refused: Refused, kind: ExternalKind | undefined, started: number, message: string): HttpAnswer {
    const { outcome, reason, id, hint } = refused;
    const status = statusOf({ outcome, reason } as DeliveryResult);
    return finish({ kind, id, outcome, reason, hint }, errorDocument(kind, status, reason, message), started);
  }

  async function answer(request: WebhookRequest): Promise<HttpAnswer> {
    const started = performance.now();
    const path = request.path ?? new URL(request.url ?? "/", "http://localhost").pathname;
    const kind = options.kind ?? kindOfPath(path);
    if (request.method.toUpperCase() !== "POST")
      return refusal({ outcome: "rejected", reason: "method_not_allowed" }, kind, started, "Commerce Layer POSTs");
    const handler = kind === undefined ? undefined : (handlers[kind] as ExternalHandler<ExternalKind> | undefined);
    if (kind === undefined || handler === undefined) {
      // Not served here: a 404 that says so, never a made-up document.
      const document = errorDocument(kind, 404, "not_implemented", "no handler for this external resource here");
      return finish({ kind, outcome: "rejected", reason: "not_implemented" }, document, started);
    }
    const secrets = secretsOf(kind);
    const variable = EXTERNAL_KINDS[kind].secretEnv;
    if (secrets.length === 0) {
      const hint = `set ${variable}`;
      return refusal({ outcome: "failed", reason: "no_secret_configured", hint }, kind, started, "not configured");
    }
    const { signature, signatureCount, body } = deliveryOf(request);
    const limit = maxBodyBytes();
    if (runtime.byteLength(body) > limit) {
      const hint = `over ${limit} bytes: see ${MAX_BODY_ENV}`;
      return refusal({ outcome: "rejected", reason: "body_too_large", hint }, kind, started, "body too large");
    }
    if (signature === undefined || signature === "") {
      const reason = (signatureCount ?? 0) > 1 ? "duplicate_signature_header" : "missing_signature";
      return refusal({ outcome: "rejected", reason }, kind, started, "signature missing");
    }
    const verified = runtime.verifySignature(body, signature, secrets);
    if (!(typeof verified === "boolean" ? verified : await verified)) {
      const hint = `${runtime.byteLength(body)} bytes received: check ${variable}, or whether something changed the body`;
      return refusal({ outcome: "rejected", reason: "invalid_signature", hint }, kind, started, "invalid signature");
    }
    const payload = parsePayload(runtime.decodeUtf8(body));
    if (typeof payload === "string")
      return refusal(
        { outcome: "rejected", reason: "invalid_payload", hint: payload },
        kind,
        started,
        "invalid payload",
      );
    const expected = EXTERNAL_KINDS[kind].resource;
    const { id, type } = payload.data;
    if (expected !== undefined && type !== expected) {
      const hint = `${kind} receives data.type ${expected}`;
      return refusal(
        { outcome: "rejected", reason: "resource_type_mismatch", id, hint },
        kind,
        started,
        "unexpected resource type",
      );
    }

    const budget = options.handlerBudgetMs ?? handlerBudgetMsFromEnv();
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    const atRisk =
      budget > 0
        ? setTimeout(
            () => log({ ...label, kind, id, outcome: "at_risk", reason: "handler_budget_exceeded", ms: elapsed() }),
            budget,
          )
        : undefined;
    let result: unknown;
    try {
      result = await handler(eventOf(kind, payload));
    } catch (error) {
      // A throw is a failure with a generic code: its message stays in the log, never in the answer.
      const document = errorDocument(kind, 500, "handler_failed", "the handler failed");
      return finish(
        { kind, id, outcome: "failed", reason: "handler_failed", errors: [describeError(error)] },
        document,
        started,
      );
    } finally {
      clearTimeout(atRisk);
    }
    const slow = budget > 0 && elapsed() >= budget ? { slow: true } : {};
    try {
      const document = documentOf(kind, result);
      const reason = isFailure(result) ? result.failure.code : undefined;
      const failed = reason !== undefined;
      return finish({ kind, id, outcome: failed ? "refused" : "answered", reason, ...slow }, document, started);
    } catch (error) {
      if (!(error instanceof InvalidResult)) throw error;
      const document = errorDocument(
        kind,
        500,
        "invalid_handler_result",
        "the handler's result is not one this kind sends",
      );
      return finish(
        { kind, id, outcome: "failed", reason: "invalid_handler_result", hint: error.message, ...slow },
        document,
        started,
      );
    }
  }

  return {
    maxBodyBytes,
    answer,
    refuse: (outcome) => {
      const refused: Refused =
        outcome.outcome === "rejected" || outcome.outcome === "failed"
          ? { outcome: outcome.outcome, reason: outcome.reason, hint: outcome.hint }
          : { outcome: "failed", reason: "failed" };
      return refusal(refused, options.kind, performance.now(), refused.reason);
    },
  };
}
