// Secrets bound to topics. In Commerce Layer one webhook has one topic and its own shared secret, so a receiver that
// knows which secret belongs to which topic hashes a delivery only with its topic's secret(s), and refuses a delivery
// whose topic header (not signed) was swapped for another. `npm run commercelayer -- apply` writes the variable; the
// plain list (COMMERCELAYER_WEBHOOK_SECRET, any topic) keeps working for webhooks configured by hand.
//
// Format: `topic=secret` entries, comma-separated: `orders.place=<secret>,orders.cancel=<secret>`. A topic may appear
// more than once (two webhooks on one topic, or the old and new secret while one is rotated). Commerce Layer's secrets
// are base64 (they may end in `=`), so an entry splits at its first `=`: a topic never holds one.

/** The environment variable holding the secrets bound to topics. */
export const TOPIC_SECRETS_ENV = "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS";

/** The secrets bound to each topic: what a receiver looks a delivery's topic up in. */
export type TopicSecrets = ReadonlyMap<string, readonly string[]>;

export interface TopicSecret {
  readonly topic: string;
  readonly secret: string;
}

const EMPTY: TopicSecrets = new Map();

/** The variable's value for these bindings, in the order given. */
export function formatTopicSecrets(entries: readonly TopicSecret[]): string {
  return entries.map(({ topic, secret }) => `${topic}=${secret}`).join(",");
}

/**
 * The bindings in a variable's value. Whitespace around entries is dropped; an entry without `=`, or with an empty
 * topic or secret, binds nothing (its topic's deliveries are then refused as unbound, which names the variable).
 */
export function parseTopicSecrets(value: string | undefined): TopicSecrets {
  if (!value?.trim()) return EMPTY;
  const bound = new Map<string, string[]>();
  for (const entry of value.split(",")) {
    const at = entry.indexOf("=");
    if (at < 0) continue;
    const topic = entry.slice(0, at).trim();
    const secret = entry.slice(at + 1).trim();
    if (!topic || !secret) continue;
    const secrets = bound.get(topic);
    if (secrets === undefined) bound.set(topic, [secret]);
    else if (!secrets.includes(secret)) secrets.push(secret);
  }
  return bound;
}
