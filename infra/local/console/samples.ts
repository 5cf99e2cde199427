// What the console's Send offers: every topic Commerce Layer sends and every external kind, each with the sample
// `npm run send` sends (seed 1, includes on), signed as `npm run send` signs it with the secret `npm start` holds:
// COMMERCELAYER_WEBHOOK_SECRET's first for a topic, the kind's own variable's first for a kind (development secrets
// when they were not set: start.ts puts those in the environment). The secret stays in this process: the page gets the
// body only.
import { SIGNATURE_HEADER } from "../../../shared/core/commerce-layer.ts";
import { parseSecretList, SECRET_ENV } from "../../../shared/core/env.ts";
import { EXTERNAL_KIND_NAMES, EXTERNAL_KINDS, type ExternalKind } from "../../../shared/external/kinds.ts";
import { signPayload } from "../../../shared/node/signature.ts";
import { buildSampleDelivery } from "../../samples/build.ts";
import { buildExternalSample } from "../../samples/external.ts";
import { EXTERNAL_PLATFORM_NAMES, type ExternalPlatformName, externalPath } from "../external-paths.ts";
import { COMMERCE_LAYER_CONTENT_TYPE, deliveryHeaders } from "../send-request.ts";
import { KNOWN_TOPICS } from "../send-topics.ts";
import type { SelfRequest } from "./self-request.ts";

export const SAMPLE_SEED = 1;

export interface SampleChoices {
  readonly topics: readonly string[];
  readonly kinds: readonly ExternalKind[];
  readonly platforms: readonly ExternalPlatformName[];
}

export function sampleChoices(): SampleChoices {
  return { topics: [...KNOWN_TOPICS].sort(), kinds: EXTERNAL_KIND_NAMES, platforms: EXTERNAL_PLATFORM_NAMES };
}

const isKind = (name: string): name is ExternalKind => EXTERNAL_KIND_NAMES.includes(name as ExternalKind);
const isPlatform = (name: string): name is ExternalPlatformName =>
  EXTERNAL_PLATFORM_NAMES.includes(name as ExternalPlatformName);

/** The sample's body for a topic or a kind; undefined for a name that is neither. */
export function sampleBody(name: string): Buffer | undefined {
  if (isKind(name)) return Buffer.from(buildExternalSample(name, { seed: SAMPLE_SEED }).body, "utf8");
  if (KNOWN_TOPICS.has(name)) return Buffer.from(buildSampleDelivery(name, { seed: SAMPLE_SEED }).body, "utf8");
  return undefined;
}

function firstSecret(variable: string): string | undefined {
  return parseSecretList(process.env[variable])[0];
}

/**
 * The signed request `npm run send` would make for `name` on `platform`, where `webhookPath(platform)` is the
 * platform's webhook path; a string saying what is wrong otherwise.
 */
export function sampleRequest(
  name: string,
  platform: string,
  webhookPath: (platform: string) => string | undefined,
): SelfRequest | string {
  if (!isPlatform(platform)) return `unknown platform "${platform}"`;
  const body = sampleBody(name);
  if (body === undefined) return `"${name}" is no Commerce Layer topic or external kind`;
  if (isKind(name)) {
    const secret = firstSecret(EXTERNAL_KINDS[name].secretEnv);
    if (secret === undefined) return `${EXTERNAL_KINDS[name].secretEnv} is not set: nothing to sign with`;
    // As send-external.ts: no topic header (the URL names the call), the signature over the exact bytes.
    const headers = {
      "content-type": COMMERCE_LAYER_CONTENT_TYPE,
      "user-agent": "CommerceLayer Module",
      [SIGNATURE_HEADER]: signPayload(body, secret),
    };
    return { method: "POST", target: externalPath(platform, name), rawHeaders: Object.entries(headers).flat(), body };
  }
  const secret = firstSecret(SECRET_ENV);
  const path = webhookPath(platform);
  if (secret === undefined) return `${SECRET_ENV} is not set: nothing to sign with`;
  if (path === undefined) return `no webhook path for ${platform}`;
  const headers = deliveryHeaders(name, body, secret, COMMERCE_LAYER_CONTENT_TYPE);
  return { method: "POST", target: path, rawHeaders: Object.entries(headers).flat(), body };
}
