// The secret `npm start` and `npm run send` share when COMMERCELAYER_WEBHOOK_SECRET is not set, so that both work on a
// fresh machine with no configuration. It is public (it is in this file): never use it for a deployed webhook.
export const DEV_SECRET = "local-development-secret-not-for-production";

export type SecretChoice =
  | { readonly kind: "configured" }
  | { readonly kind: "development"; readonly secret: string }
  | { readonly kind: "refused"; readonly message: string };

export function chooseReceiverSecret(env: NodeJS.ProcessEnv): SecretChoice {
  if ((env.COMMERCELAYER_WEBHOOK_SECRET ?? "").trim() !== "") return { kind: "configured" };
  if (env.NODE_ENV === "production") {
    return {
      kind: "refused",
      message:
        "NODE_ENV=production and COMMERCELAYER_WEBHOOK_SECRET is not set: refusing the public development secret.",
    };
  }
  return { kind: "development", secret: DEV_SECRET };
}
