// No secret leaves the console: every JSON answer and event of its API goes through `scrubbedJson`, which replaces
// each secret in force (read from the environment at each call, as the bundles read it) wherever it appears, in a
// log line a handler wrote, a header, an answer. The signature is not a secret, but it is shortened all the same
// (headers-view.ts): a full one lets anyone holding the body test guesses of the secret offline.
import { parseSecretList, SECRET_ENV } from "../../../shared/core/env.ts";
import { EXTERNAL_SECRET_VARIABLES } from "../dev-secret.ts";

export const HIDDEN = "[secret hidden]";

/** The webhook secrets and every external kind's, as `npm start` holds them now (development ones included). */
export function secretsInForce(env: NodeJS.ProcessEnv = process.env): string[] {
  const all = [SECRET_ENV, ...EXTERNAL_SECRET_VARIABLES].flatMap((name) => parseSecretList(env[name]));
  // Longest first: a secret that contains another is hidden whole.
  return [...new Set(all)].sort((a, b) => b.length - a.length);
}

/** `text` with every secret replaced by HIDDEN. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) if (scrubbed.includes(secret)) scrubbed = scrubbed.split(secret).join(HIDDEN);
  return scrubbed;
}

/** JSON of `value` with the secrets hidden, in their JSON-escaped form too (a secret with a quote or a backslash). */
export function scrubbedJson(value: unknown, secrets: readonly string[] = secretsInForce()): string {
  const escaped = secrets.map((secret) => JSON.stringify(secret).slice(1, -1));
  return scrubSecrets(JSON.stringify(value), [...new Set([...escaped, ...secrets])]);
}

/** Whether raw bytes (a body asked for byte-exact) hold a secret: they are then not served at all. */
export function holdsSecret(bytes: Buffer, secrets: readonly string[] = secretsInForce()): boolean {
  return secrets.some((secret) => bytes.includes(secret));
}
