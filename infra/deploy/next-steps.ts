// What every deploy script (and its --dry-run) ends with: the URLs to set in Commerce Layer and the next command. The
// webhook's URL, and one per external kind functions/external.ts implements, each named by the Commerce Layer
// attribute it goes in. After a real deploy the host is the one the platform CLI printed; in a dry run (or when the
// CLI printed none) it is a placeholder, followed by where to find the real one. The webhook's next command hands
// over to `npm run commercelayer`: `apply --url` with the webhook's URL before any secret is here, `enable` when the
// secrets are deployed but the webhooks are not switched on yet, `status --url` once they are.
import { EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { deployedExternalPath, type ExternalPlatformName } from "../build/external-deploy.ts";
import { VERCEL_ROUTE } from "../build/vercel-output.ts";
import { commerceLayerCommand, type EnvFile, type WebhookStage } from "./webhook-secrets.ts";

/**
 * Where each deployment serves the webhook below its host: .vercel/output's function (vercel-output.ts), serverless.yml's
 * httpApi route, the Netlify v2 function's `config.path` (functions/netlify/commercelayer-webhook.ts).
 */
export const WEBHOOK_PATHS: Record<ExternalPlatformName, string> = {
  vercel: VERCEL_ROUTE,
  "aws-lambda": "/webhooks/commercelayer",
  netlify: "/webhooks/commercelayer",
};

export interface CommerceLayerUrl {
  /** The Commerce Layer resource and attribute the URL goes in: `webhooks.callback_url`, `markets.external_prices_url`. */
  readonly setting: string;
  readonly url: string;
}

/** The webhook's URL, then each implemented kind's, below `origin` (`https://host`, no trailing slash). */
export function commerceLayerUrls(
  platform: ExternalPlatformName,
  origin: string,
  kinds: readonly ExternalKind[],
): CommerceLayerUrl[] {
  return [
    { setting: "webhooks.callback_url", url: `${origin}${WEBHOOK_PATHS[platform]}` },
    ...kinds.map((kind) => ({
      setting: `${EXTERNAL_KINDS[kind].holder}.${EXTERNAL_KINDS[kind].urlAttribute}`,
      url: `${origin}${deployedExternalPath(platform, kind)}`,
    })),
  ];
}

export interface NextSteps {
  /** `deploy:vercel`: every line starts with it. */
  readonly script: string;
  readonly platform: ExternalPlatformName;
  readonly kinds: readonly ExternalKind[];
  /** The deployment's public host as `https://host`, when the CLI printed it. */
  readonly origin: string | undefined;
  /** Stands for the host when `origin` is unknown: `https://<site>.netlify.app`. */
  readonly placeholder: string;
  /** Where the real host is found, printed after a placeholder: `the deploy prints it as "Production URL"; ...`. */
  readonly findOrigin: string;
  /** Where the external resources' secrets live on this platform: `the Netlify site's variables (Functions scope)`. */
  readonly secretsLiveIn: string;
  /** True in a dry run: nothing is deployed yet. */
  readonly dryRun: boolean;
  /** Where the webhooks stand with Commerce Layer after this deploy (or after the deploy a dry run stands for). */
  readonly webhooks: WebhookStage;
  /** The env file the deploy read, named in the commands printed when it is not the project's .env. */
  readonly envFile: EnvFile;
}

/** The webhook's next command (or commands), as the `next:` line gives them. */
function webhookNext(stage: WebhookStage, callbackUrl: string, envFile: EnvFile): string {
  const status = `\`${commerceLayerCommand("status", envFile, callbackUrl)}\``;
  switch (stage) {
    case "apply":
      return `\`${commerceLayerCommand("apply", envFile, callbackUrl)}\` (it creates the webhooks, disabled, and writes their secrets to ${envFile.shown}), then deploy again: the deploy carries the secrets and runs enable`;
    case "enable":
      return `\`${commerceLayerCommand("enable", envFile)}\`, then ${status}`;
    case "status":
      return status;
  }
}

/** The URLs, then the next command and, with external resources, where their URLs and secrets go, on stdout. */
export function printNextSteps(steps: NextSteps): void {
  const say = (line: string) => console.log(`${steps.script}: ${line}`);
  const urls = commerceLayerUrls(steps.platform, steps.origin ?? steps.placeholder, steps.kinds);
  for (const { setting, url } of urls) say(`${setting}: ${url}`);
  if (steps.origin === undefined) say(`${steps.placeholder} is a placeholder: ${steps.findOrigin}`);
  const callbackUrl = urls[0]?.url ?? "";
  say(`next: ${steps.dryRun ? "deploy, then " : ""}${webhookNext(steps.webhooks, callbackUrl, steps.envFile)}`);
  if (steps.kinds.length > 0) {
    say(
      `external resources: in Commerce Layer set each attribute above to its URL; their shared_secrets go in ${steps.secretsLiveIn} (docs/environment.md)`,
    );
  }
}
