// Which secret `npm run send` signs with, and where it came from. Only the source is ever printed, never the value:
// a 401 is nearly always "the sender and the receiver do not hold the same secret", and the source says which one
// the sender held.
import { parseSecretList, SECRET_ENV } from "../../shared/core/env.ts";
import { DEV_SECRET } from "./dev-secret.ts";

export type SecretSource = "flag" | "env" | "development";

export interface SigningSecret {
  readonly value: string;
  readonly source: SecretSource;
}

/** `--secret`, else the first of `$COMMERCELAYER_WEBHOOK_SECRET` (parsed as the receiver parses it), else the dev one. */
export function chooseSigningSecret(flag: string | undefined, env: NodeJS.ProcessEnv): SigningSecret {
  if (flag !== undefined) return { value: flag, source: "flag" };
  const [first] = parseSecretList(env[SECRET_ENV]);
  if (first !== undefined) return { value: first, source: "env" };
  return { value: DEV_SECRET, source: "development" };
}

/** The line saying which secret signed the deliveries. */
export function describeSecretSource(source: SecretSource): string {
  switch (source) {
    case "flag":
      return "signed with the secret given by --secret";
    case "env":
      return `signed with $${SECRET_ENV} (its first secret)`;
    case "development":
      return `signed with the local development secret (infra/local/dev-secret.ts; ${SECRET_ENV} is not set)`;
  }
}

/** What the receiver must hold for a delivery signed from this source to verify. */
export function whatTheReceiverNeeds(source: SecretSource): string {
  const holds = `the receiver's ${SECRET_ENV} (any one of its comma-separated secrets)`;
  switch (source) {
    case "flag":
      return `${holds} must be exactly the value given to --secret`;
    case "env":
      return `${holds} must be the first secret of ${SECRET_ENV} in this shell; a deployed function reads its own environment, not this shell's`;
    case "development":
      return `only \`npm start\` without ${SECRET_ENV} accepts the development secret; a receiver with a secret of its own needs \`--secret <that secret>\` or ${SECRET_ENV} set here`;
  }
}
