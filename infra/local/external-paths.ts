// Where `npm start` serves the external resources: each platform's deployed path (infra/build/external-deploy.ts)
// under the platform's own prefix, as its webhook paths are. Shared by the receiver and `npm run send -- --external`.

import type { ExternalKind } from "../../shared/external/kinds.ts";
import { DEPLOYED_EXTERNAL_BASES, type ExternalPlatformName } from "../build/external-deploy.ts";

export type { ExternalPlatformName } from "../build/external-deploy.ts";

export const EXTERNAL_PLATFORM_NAMES = Object.keys(DEPLOYED_EXTERNAL_BASES) as ExternalPlatformName[];

export const EXTERNAL_BASES = Object.fromEntries(
  EXTERNAL_PLATFORM_NAMES.map((platform) => [platform, `/${platform}${DEPLOYED_EXTERNAL_BASES[platform]}`]),
) as Record<ExternalPlatformName, string>;

export const externalPath = (platform: ExternalPlatformName, kind: ExternalKind) =>
  `${EXTERNAL_BASES[platform]}/${kind}`;
