// Configuration read from the environment at delivery time, so that a rotated secret or a test's change applies
// without re-importing the module. `process` is absent on some runtimes; then nothing is configured (fail closed).

export const SECRET_ENV = "COMMERCELAYER_WEBHOOK_SECRET";
export const MAX_BODY_ENV = "COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES";

/** 5 MiB: above any real delivery (a large orders.place is ~30 KB), below Lambda's 6 MB payload cap. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

function readEnv(name: string): string | undefined {
  return globalThis.process?.env?.[name];
}

/** Splits a comma-separated secret list; whitespace around each secret and empty entries are dropped. */
export function parseSecretList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((secret) => secret.trim())
    .filter((secret) => secret !== "");
}

export function secretsFromEnv(): string[] {
  return parseSecretList(readEnv(SECRET_ENV));
}

export function maxBodyBytesFromEnv(): number {
  const raw = readEnv(MAX_BODY_ENV);
  if (raw === undefined || raw.trim() === "") return DEFAULT_MAX_BODY_BYTES;
  const parsed = Number(raw);
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : DEFAULT_MAX_BODY_BYTES;
}
