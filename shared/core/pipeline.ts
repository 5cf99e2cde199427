// The one receiving pipeline, for webhook deliveries and external-resource calls alike. Order matters, and it is
// written only here:
//   1. a secret must be configured (fail closed: none, and nothing is accepted), for this call's topic where secrets
//      are bound to topics;
//   2. the body limit, before hashing: nobody makes us hash (or hold) more than the limit;
//   3. the signature over the exact bytes, before parsing: nothing of an unsigned body is read;
//   4. what the signature does not cover (the webhook's topic header), then the document, then its `data.type`;
//   5. the handlers, with one `at_risk` line if they are still running at the budget, measured from the call's start.
// Each side (shared/webhooks/receiver.ts, shared/external/receiver.ts) adds only its own checks and its own answer.
// One log line per call, its level and status from the one mapping (log.ts, answer.ts).
import { statusOf } from "./answer.ts";
import { handlerBudgetMsFromEnv, MAX_BODY_ENV, maxBodyBytesFromEnv } from "./env.ts";
import type { CallLogEntry } from "./log.ts";
import type { WebhookPayload } from "./payload.ts";
import { failed, type Refusal, rejected } from "./result.ts";
import type { ReceiverRuntime } from "./runtime.ts";

/** A call as it reached a receiver, not yet trusted: what the request (or the queue message) said. */
export interface IncomingCall {
  /** The `X-CommerceLayer-Signature` value; undefined when missing, or sent more than once. */
  readonly signature: string | undefined;
  /** How many signature headers were sent, when not one (a duplicated header is refused as such). */
  readonly signatureCount?: number;
  /**
   * The body exactly as received: bytes, or the text a platform already decoded them to (Lambda and Netlify v1 hand
   * non-base64 bodies over as a string). Text is hashed as its UTF-8 encoding, which is the bytes that were sent;
   * taking it as it is saves encoding it to bytes and decoding it back before JSON.parse. An adapter that stops
   * reading past the limit passes what it read (limit + 1 bytes).
   */
  readonly body: Uint8Array | string;
}

/** What a side of the pipeline settles a verified call with: an outcome of its own, or a refusal. */
export interface Settled {
  readonly outcome: string;
  readonly id?: string;
  /** The status answered, when the side decides it (an external document); else answer.ts maps the outcome. */
  readonly status?: number;
  readonly reason?: string;
  readonly slow?: boolean;
}

/**
 * A side's steps, made once (per receiver, or per external kind) and given each call: nothing is allocated for them
 * per call. `C` is the side's call (the webhook's carries its topic header).
 */
export interface CallSteps<C extends IncomingCall, R extends Settled> {
  /**
   * The secrets that may have signed this call (one Commerce Layer resource's, or those bound to the webhook's topic);
   * none fails it closed (`no_secret_configured`). A refusal instead refuses the call before any hashing.
   */
  secrets(call: C): readonly string[] | Refusal;
  /**
   * Why no secret verified the call, where the side can tell more than `invalid_signature` (a delivery signed with the
   * secret of another topic's webhook): `verify` checks the signature under other secrets. Undefined: invalid.
   */
  unverified?(
    call: C,
    bytes: number,
    verify: (secrets: readonly string[]) => boolean | Promise<boolean>,
  ): Promise<Refusal | undefined>;
  /** Where those secrets are set, for the hints: an environment variable's name. */
  readonly secretSource: string;
  /** What every log line of a call names (the external kind, known from the URL before anything is checked). */
  readonly subject: Readonly<Record<string, string>>;
  /**
   * What the lines name once `beforeParse` passed (the webhook's topic: its header is not signed, so it is named only
   * once checked), on the refusals the pipeline makes from then on and on the `at_risk` line.
   */
  checkedSubject?(call: C): Readonly<Record<string, string>>;
  /** Checks on what the signature does not cover, made once the body is authentic and before it is parsed. */
  beforeParse?(call: C): Refusal | undefined;
  /** Checks on the parsed document (its `data.type`). */
  accept(document: WebhookPayload, call: C): Refusal | undefined;
  /** Runs the handlers; `watched` wraps the part Commerce Layer waits for, so that it is timed against the budget. */
  handle(document: WebhookPayload, call: C, watched: <T>(work: () => Promise<T>) => Promise<T>): Promise<R | Refusal>;
}

export interface PipelineOptions {
  /** The log lines' platform label. */
  readonly platform?: string | undefined;
  /** Largest body accepted, in bytes; default: `COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES` or 5 MiB. */
  readonly maxBodyBytes?: number | undefined;
  /** When handlers still running are logged `at_risk`; 0 turns it off. Default: env.ts. */
  readonly handlerBudgetMs?: number | undefined;
}

export interface Pipeline {
  run<C extends IncomingCall, R extends Settled>(call: C, steps: CallSteps<C, R>): Promise<R | Refusal>;
  /** Logs an outcome decided before the pipeline could run (not POST, a non-HTTP event, a lost body), and returns it. */
  report<R extends Settled | Refusal>(
    result: R,
    subject?: Readonly<Record<string, string | undefined>>,
    ms?: number,
  ): R;
  /** The body limit in force now, for adapters that can stop reading a stream early. */
  maxBodyBytes(): number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A parsed document shaped like Commerce Layer's, or which check it failed (the log's hint). */
export function parseDocument(text: string | undefined): WebhookPayload | string {
  if (text === undefined) return "the body is not valid UTF-8";
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return "the body is not JSON";
  }
  if (!isObject(parsed) || !isObject(parsed.data)) return "no data object";
  const { id, type } = parsed.data;
  if (typeof id !== "string" || id === "" || typeof type !== "string") return "data.id or data.type missing";
  if (parsed.included !== undefined && !Array.isArray(parsed.included)) return "included is not an array";
  return parsed as unknown as WebhookPayload;
}

/** Whether the body is over the limit, in UTF-8 bytes; text is only measured when its length leaves any doubt. */
function exceeds(body: Uint8Array | string, limit: number, runtime: ReceiverRuntime): boolean {
  if (typeof body !== "string") return body.byteLength > limit;
  return body.length * 3 > limit && runtime.byteLength(body) > limit;
}

/** Milliseconds since `started` (a performance.now()), to the hundredth: a log line's `ms`. */
export const msSince = (started: number): number => Math.round((performance.now() - started) * 100) / 100;

export function createPipeline(
  runtime: ReceiverRuntime,
  options: PipelineOptions,
  log: (entry: CallLogEntry) => void,
): Pipeline {
  const label = options.platform === undefined ? {} : { platform: options.platform };
  const maxBodyBytes = (): number => options.maxBodyBytes ?? maxBodyBytesFromEnv();
  const handlerBudgetMs = (): number => options.handlerBudgetMs ?? handlerBudgetMsFromEnv();

  function report<R extends Settled | Refusal>(
    result: R,
    subject: Readonly<Record<string, string | undefined>> = {},
    ms = 0,
  ): R {
    // A result holds only what a line may show (outcome, reason, hint, topic, id, errors, slow): never a document.
    log({ ...label, ...subject, ...result, status: statusOf(result), ms } as CallLogEntry);
    return result;
  }

  async function run<C extends IncomingCall, R extends Settled>(call: C, steps: CallSteps<C, R>): Promise<R | Refusal> {
    const started = performance.now();
    const { signature, body } = call;
    const elapsed = () => msSince(started);
    const finish = <F extends R | Refusal>(result: F): F => report(result, steps.subject, elapsed());

    const secrets = steps.secrets(call);
    if ("outcome" in secrets) return finish(secrets);
    if (secrets.length === 0) {
      return finish(failed("no_secret_configured", { hint: `set ${steps.secretSource}` }));
    }
    // A hint says what the reason name cannot (which check failed, what arrived), never a secret or a payload value.
    const limit = maxBodyBytes();
    if (exceeds(body, limit, runtime)) {
      return finish(rejected("body_too_large", { hint: `over ${limit} bytes: see ${MAX_BODY_ENV}` }));
    }
    if (!signature) {
      return finish(rejected((call.signatureCount ?? 0) > 1 ? "duplicate_signature_header" : "missing_signature"));
    }
    // Node's verification is synchronous: awaited only where it is not, so the Node path keeps its speed.
    const verified = runtime.verifySignature(body, signature, secrets);
    if (!(typeof verified === "boolean" ? verified : await verified)) {
      const bytes = runtime.byteLength(body);
      const explained = await steps.unverified?.(call, bytes, (others) =>
        runtime.verifySignature(body, signature, others),
      );
      return finish(
        explained ??
          rejected("invalid_signature", {
            hint: `${bytes} bytes received: check ${steps.secretSource}, or whether something changed the body`,
          }),
      );
    }

    // Authentic from here on.
    const unsigned = steps.beforeParse?.(call);
    if (unsigned !== undefined) return finish(unsigned);
    const document = parseDocument(runtime.decodeUtf8(body));
    if (typeof document === "string") {
      return finish(rejected("invalid_payload", { ...steps.checkedSubject?.(call), hint: document }));
    }
    const refused = steps.accept(document, call);
    if (refused !== undefined) return finish(refused);

    // Handlers still running at the budget are logged once, then left to finish: answering 200 early would lose the
    // call if a handler then failed, and answering 500 early (or aborting) would make Commerce Layer retry work that is
    // still running. A budget already spent before the handlers started fires at once (a negative delay is 1 ms).
    // Read only when handlers run: the environment is slow to read, and most calls of a topic with no handler end here.
    let budget = 0;
    const id = document.data.id;
    const watched = <T>(work: () => Promise<T>): Promise<T> => {
      budget = handlerBudgetMs();
      if (budget <= 0) return work();
      const atRisk = setTimeout(
        () =>
          log({
            ...label,
            ...steps.subject,
            ...steps.checkedSubject?.(call),
            id,
            outcome: "at_risk",
            reason: "handler_budget_exceeded",
            ms: elapsed(),
          }),
        budget - (performance.now() - started),
      );
      return work().finally(() => clearTimeout(atRisk));
    };
    const result = await steps.handle(document, call, watched);
    // Also true when synchronous handlers blocked the event loop past the budget, so the timer never got to fire.
    const slow = budget > 0 && elapsed() >= budget && result.outcome !== "rejected";
    return finish(slow ? { ...result, slow: true } : result);
  }

  return { run, report, maxBodyBytes };
}
