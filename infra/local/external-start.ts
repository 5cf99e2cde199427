// What `npm start` says about the external resources: the development secrets it puts in the unset variables (loudly,
// as for the webhook secret), and one URL per kind.
import { EXTERNAL_KIND_NAMES, EXTERNAL_KINDS } from "../../shared/external/kinds.ts";
import { DEV_EXTERNAL_SECRETS, externalVariablesToFill } from "./dev-secret.ts";
import { EXTERNAL_BASES, externalPath } from "./external-paths.ts";
import { EXTERNAL_DEMO_FILE, type ExternalPlatforms } from "./external-platforms.ts";
import { shownPath } from "./watch-rebuild.ts";

/** Puts the public development secret in each unset variable (never under NODE_ENV=production) and says so. */
export function fillExternalSecrets(env: NodeJS.ProcessEnv): void {
  const { development, unset } = externalVariablesToFill(env);
  for (const variable of development) env[variable] = DEV_EXTERNAL_SECRETS[variable];
  if (development.length > 0)
    console.warn(
      [
        "!".repeat(78),
        "!! Not set, so using a PUBLIC development secret (infra/local/dev-secret.ts), one per variable:",
        ...development.map((variable) => `!!   ${variable}`),
        "!! Fine for `npm run send -- --external <kind>`; set the real shared secrets to receive Commerce Layer's calls.",
        "!".repeat(78),
      ].join("\n"),
    );
  else if (unset.length > 0)
    console.warn(`NODE_ENV=production: ${unset.join(", ")} not set; their kinds answer 500 no_secret_configured`);
}

/** Which handlers serve which kinds: printed at start, and again after a rebuild that changes it. */
export function servedByLine(external: ExternalPlatforms): string {
  const yours = external.yours();
  const file = shownPath(external.file);
  return `External resources (${yours.length === 0 ? `all by the DEMO handlers of ${EXTERNAL_DEMO_FILE}` : `${yours.join(", ")} by ${file}, the rest by the DEMO handlers of ${EXTERNAL_DEMO_FILE}`}):`;
}

/** The lines listing every external endpoint: vercel's in full, one line for the other platforms' bases. */
export function externalListing(base: string, external: ExternalPlatforms): string[] {
  const yours = new Set(external.yours());
  const file = shownPath(external.file);
  const lines = [servedByLine(external)];
  const width = Math.max(...EXTERNAL_KIND_NAMES.map((kind) => EXTERNAL_KINDS[kind].secretEnv.length));
  for (const kind of EXTERNAL_KIND_NAMES)
    lines.push(
      `  ${(yours.has(kind) ? "yours" : "demo").padEnd(5)} ${EXTERNAL_KINDS[kind].secretEnv.padEnd(width)}  POST ${base}${externalPath("vercel", kind)}`,
    );
  lines.push(
    `  The same kinds: aws-lambda under ${base}${EXTERNAL_BASES["aws-lambda"]}/<kind>, netlify under ${base}${EXTERNAL_BASES.netlify}/<kind>`,
  );
  for (const key of external.unknownKeys())
    lines.push(`  warning: ${file} has "${key}", which is no external kind: nothing serves it`);
  return lines;
}
