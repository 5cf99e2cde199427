// `apply`, for the external resources: reads each attached resource's shared secret and writes them into the env file
// under their kind's variable (several resources of one variable comma-separated, as the receiver reads it), one line
// per variable and nothing else. It never writes to Commerce Layer: the URLs wait for `enable`, once the deployment
// holds the secrets, so that Commerce Layer never calls a deployment that would refuse it.
import { writeEnvVariable } from "./env-file.ts";
import type { ExternalSetup } from "./external-attachments.ts";
import { secretValues, urlChanges } from "./external-plan.ts";
import { type AttachedResource, nameOf } from "./external-resources.ts";
import { say, warn } from "./output.ts";

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

export function applyExternal(
  setup: ExternalSetup,
  attached: readonly AttachedResource[],
  url: string | undefined,
  envFile: string,
): void {
  say("External resources' secrets:");
  const written: string[] = [];
  for (const [variable, secrets] of secretValues(setup.implemented, attached)) {
    if (secrets.length === 0) {
      warn(`${variable}: no attached resource has a shared_secret: not written`);
      continue;
    }
    const from = attached
      .filter((resource) => secrets.includes(String(resource.attributes.shared_secret)))
      .map(nameOf)
      .join(", ");
    const change = writeEnvVariable(envFile, variable, secrets.join(","));
    written.push(variable);
    say(
      change === "unchanged"
        ? `  ${variable} in ${envFile} is up to date (${count(secrets.length, "secret")}).`
        : `  ${variable} written to ${envFile} (${count(secrets.length, "secret")}: ${from}; ${change === "created" ? "file created" : "only that line changed"}).`,
    );
  }
  if (url !== undefined) {
    const pending = attached.filter((resource) => urlChanges(resource, url).length > 0).length;
    if (pending === 0) {
      say(`The attached resources point at ${url} already.`);
      return;
    }
    say(
      `Next: deploy so that the platform has ${written.join(", ")}, then \`npm run commercelayer -- enable --external-url ${url}\` (${count(pending, "resource")} to point at it).`,
    );
    return;
  }
  say(
    `Next: deploy so that the platform has ${written.join(", ")}, then \`npm run commercelayer -- enable --external-url <prefix>\` points the attached resources at the deployment.`,
  );
}
