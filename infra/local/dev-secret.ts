// The secret `npm start` and `npm run send` share when COMMERCELAYER_WEBHOOK_SECRET is not set, so that both work on a
// fresh machine with no configuration. It is public (it is in this file): never use it for a deployed webhook.
import { TOPIC_SECRETS_ENV } from "../../shared/core/topic-secrets.ts";
import type { ExternalSecretEnv } from "../../shared/external/receiver.ts";

export const DEV_SECRET = "local-development-secret-not-for-production";

export type SecretChoice =
  | { readonly kind: "configured" }
  | { readonly kind: "development"; readonly secret: string }
  | { readonly kind: "refused"; readonly message: string };

/**
 * The development secret is added whenever COMMERCELAYER_WEBHOOK_SECRET is unset (outside production), also beside the
 * secrets bound to topics that `npm run commercelayer -- apply` writes to .env: those verify Commerce Layer's (or the
 * stand-in's) deliveries of their own topic, the development one `npm run send`'s.
 */
export function chooseReceiverSecret(env: NodeJS.ProcessEnv): SecretChoice {
  if ((env.COMMERCELAYER_WEBHOOK_SECRET ?? "").trim() !== "") return { kind: "configured" };
  if (env.NODE_ENV === "production") {
    if ((env[TOPIC_SECRETS_ENV] ?? "").trim() !== "") return { kind: "configured" };
    return {
      kind: "refused",
      message: `NODE_ENV=production and neither COMMERCELAYER_WEBHOOK_SECRET nor ${TOPIC_SECRETS_ENV} is set: refusing the public development secret.`,
    };
  }
  return { kind: "development", secret: DEV_SECRET };
}

/**
 * The external resources' secrets when their variables are not set: public too, and one per variable, each distinct,
 * so that locally as deployed a call signed with another Commerce Layer resource's secret is refused.
 */
export const DEV_EXTERNAL_SECRETS: Readonly<Record<ExternalSecretEnv, string>> = {
  COMMERCELAYER_PAYMENT_GATEWAY_SECRET: "local-development-payment-gateway-secret-not-for-production",
  COMMERCELAYER_TAX_CALCULATOR_SECRET: "local-development-tax-calculator-secret-not-for-production",
  COMMERCELAYER_MARKET_SECRET: "local-development-market-secret-not-for-production",
  COMMERCELAYER_SHIPPING_METHOD_SECRET: "local-development-shipping-method-secret-not-for-production",
  COMMERCELAYER_PROMOTION_SECRET: "local-development-promotion-secret-not-for-production",
};

export const EXTERNAL_SECRET_VARIABLES = Object.keys(DEV_EXTERNAL_SECRETS) as ExternalSecretEnv[];

/** The external secret variables `npm start` fills with development secrets; none under NODE_ENV=production. */
export function externalVariablesToFill(env: NodeJS.ProcessEnv): {
  readonly development: readonly ExternalSecretEnv[];
  readonly unset: readonly ExternalSecretEnv[];
} {
  const unset = EXTERNAL_SECRET_VARIABLES.filter((variable) => (env[variable] ?? "").trim() === "");
  return env.NODE_ENV === "production" ? { development: [], unset } : { development: unset, unset };
}
