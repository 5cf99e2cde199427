// Where `npm start` serves the external resources, per platform: each kind at `<base>/<kind>`, as a deployment would
// route it (the URL's last segments name the kind). Shared by the receiver and `npm run send -- --external`.
import type { ExternalKind } from "../../src/external/kinds.ts";

export const EXTERNAL_BASES = {
  vercel: "/vercel/api/external",
  "aws-lambda": "/aws-lambda/external",
  netlify: "/netlify/external",
} as const;

export type ExternalPlatformName = keyof typeof EXTERNAL_BASES;

export const EXTERNAL_PLATFORM_NAMES = Object.keys(EXTERNAL_BASES) as ExternalPlatformName[];

export const externalPath = (platform: ExternalPlatformName, kind: ExternalKind) =>
  `${EXTERNAL_BASES[platform]}/${kind}`;
