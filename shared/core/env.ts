// Configuration read from the environment at delivery time, so that a rotated secret or a test's change applies
// without re-importing the module. `process` is absent on some runtimes; then nothing is configured (fail closed).

import { ANSWER_TIMEOUT_MS } from "./commerce-layer.ts";
import { parseTopicSecrets, TOPIC_SECRETS_ENV, type TopicSecrets } from "./topic-secrets.ts";

export const SECRET_ENV = "COMMERCELAYER_WEBHOOK_SECRET";
export const MAX_BODY_ENV = "COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES";
export const HANDLER_BUDGET_ENV = "COMMERCELAYER_WEBHOOK_BUDGET_MS";

/**
 * A second short of Commerce Layer's answer timeout: the request has also spent time on the network, the body upload
 * and maybe a cold start before the handlers ran.
 */
export const DEFAULT_HANDLER_BUDGET_MS = ANSWER_TIMEOUT_MS - 1000;

/** 5 MiB: above any real delivery (a large orders.place is ~30 KB), below Lambda's 6 MB payload cap. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

function readEnv(name: string): string | undefined {
  try {
    return globalThis.process?.env?.[name];
  } catch {
    // Deno, allowed to read only some variables, throws for the others: unset, as on a runtime without process.
    return undefined;
  }
}

/** Splits a comma-separated secret list; whitespace around each secret and empty entries are dropped. */
export function parseSecretList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((secret) => secret.trim())
    .filter(Boolean);
}

/** The secrets in an environment variable (COMMERCELAYER_WEBHOOK_SECRET by default), read now. */
export function secretsFromEnv(name: string = SECRET_ENV): string[] {
  return parseSecretList(readEnv(name));
}

/** The variable's value last read, and what it parsed to (none, at first: unset). */
let lastRaw: string | undefined;
let lastParsed = parseTopicSecrets(undefined);

/**
 * The secrets bound to topics (COMMERCELAYER_WEBHOOK_TOPIC_SECRETS), read now. Parsed again only when the value
 * changed: one webhook per topic makes it long (about 70 characters a webhook), and it is read at every delivery.
 */
export function topicSecretsFromEnv(): TopicSecrets {
  const raw = readEnv(TOPIC_SECRETS_ENV);
  if (raw !== lastRaw) {
    lastRaw = raw;
    lastParsed = parseTopicSecrets(raw);
  }
  return lastParsed;
}

/** A whole number of at least `min` from the environment; unset, empty or anything else gives `fallback`. */
function integerFromEnv(name: string, fallback: number, min: number): number {
  const raw = readEnv(name);
  if (!raw?.trim()) return fallback;
  const parsed = Number(raw);
  return Number.isSafeInteger(parsed) && parsed >= min ? parsed : fallback;
}

export function maxBodyBytesFromEnv(): number {
  return integerFromEnv(MAX_BODY_ENV, DEFAULT_MAX_BODY_BYTES, 1);
}

/** Milliseconds the handlers may run before the delivery is logged as at risk; 0 turns the warning off. */
export function handlerBudgetMsFromEnv(): number {
  return integerFromEnv(HANDLER_BUDGET_ENV, DEFAULT_HANDLER_BUDGET_MS, 0);
}
