// What every deploy script (and its --dry-run) ends with: the URLs Commerce Layer calls and the next command. The
// webhook's URL, and one per external kind functions/external.ts implements, each named by the Commerce Layer
// attribute it goes in. After a real deploy the host is the one the platform CLI printed; in a dry run (or when the
// CLI printed none) it is a placeholder, followed by where to find the real one. The next command hands over to `npm
// run commercelayer`: `apply --url` with the webhook's URL before the webhook's secrets are here, `enable` when the
// secrets are deployed but not switched on yet, `status --url` once they are; with external kinds, `enable` and
// `status` take `--external-url`, where the kinds are deployed (externalTarget).
import { EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { DEPLOYED_EXTERNAL_BASES, deployedExternalPath, type ExternalPlatformName } from "../build/external-deploy.ts";
import { VERCEL_ROUTE } from "../build/vercel-output.ts";
import { type CommerceLayerStage, commerceLayerCommand, type EnvFile, type ExternalTarget } from "./webhook-secrets.ts";

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

/**
 * Where the deployment below `origin` serves the external kinds, without the kind (each kind's path is this prefix
 * followed by `/<kind>`: deployedExternalPath), for `enable --external-url`; undefined when no kind is implemented.
 * `origin` undefined: the host is `placeholder`, which no command may be run with.
 */
export function externalTarget(
  platform: ExternalPlatformName,
  kinds: readonly ExternalKind[],
  origin: string | undefined,
  placeholder: string,
): ExternalTarget | undefined {
  if (kinds.length === 0) return undefined;
  return { prefix: `${origin ?? placeholder}${DEPLOYED_EXTERNAL_BASES[platform]}`, deployed: origin !== undefined };
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
  /** Where a deploy carries the external resources' secrets: `the Netlify site's variables (Functions scope)`. */
  readonly secretsLiveIn: string;
  /** True in a dry run: nothing is deployed yet. */
  readonly dryRun: boolean;
  /** Where Commerce Layer's side stands after this deploy (or after the deploy a dry run stands for). */
  readonly stage: CommerceLayerStage;
  /** The env file the deploy read, named in the commands printed when it is not the project's .env. */
  readonly envFile: EnvFile;
}

/** The next command (or commands), as the `next:` line gives them. */
function nextCommands(
  stage: CommerceLayerStage,
  callbackUrl: string,
  envFile: EnvFile,
  external: ExternalTarget | undefined,
): string {
  const status = `\`${commerceLayerCommand("status", envFile, callbackUrl, external?.prefix)}\``;
  switch (stage) {
    case "apply":
      return `\`${commerceLayerCommand("apply", envFile, callbackUrl)}\` (it creates the webhooks, disabled, and writes their secrets to ${envFile.shown}), then deploy again: the deploy carries the secrets and runs enable`;
    case "enable":
      return `\`${commerceLayerCommand("enable", envFile, undefined, external?.prefix)}\`, then ${status}`;
    case "status":
      return status;
  }
}

/** The URLs, then the next command and, with external resources, how their URLs and secrets get set, on stdout. */
export function printNextSteps(steps: NextSteps): void {
  const say = (line: string) => console.log(`${steps.script}: ${line}`);
  const urls = commerceLayerUrls(steps.platform, steps.origin ?? steps.placeholder, steps.kinds);
  for (const { setting, url } of urls) say(`${setting}: ${url}`);
  if (steps.origin === undefined) say(`${steps.placeholder} is a placeholder: ${steps.findOrigin}`);
  const callbackUrl = urls[0]?.url ?? "";
  const external = externalTarget(steps.platform, steps.kinds, steps.origin, steps.placeholder);
  say(`next: ${steps.dryRun ? "deploy, then " : ""}${nextCommands(steps.stage, callbackUrl, steps.envFile, external)}`);
  if (external !== undefined) {
    say(
      `external resources: \`${commerceLayerCommand("apply", steps.envFile)}\` writes their shared_secrets to ${steps.envFile.shown} (the resources functions/external-attachments.ts names), a deploy carries them to ${steps.secretsLiveIn}, then \`${commerceLayerCommand("enable", steps.envFile, undefined, external.prefix)}\` sets each attribute above (docs/external-resources.md)`,
    );
  }
}
