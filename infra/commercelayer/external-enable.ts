// `enable`, for the external resources: points each attached resource's URL fields of its kinds at `<external
// URL>/<kind>`, and no other field. Commerce Layer calls a URL as soon as it is set, so a resource is left as it is when
// its secret is not in its variable here (this shell's environment, else the env file `apply` wrote, which is what the
// deploy scripts carry): run apply, deploy, then enable. Idempotent: a resource that points there already is not written.
import { parseSecretList } from "../../shared/core/env.ts";
import { EXTERNAL_KINDS } from "../../shared/external/kinds.ts";
import type { Client } from "./client.ts";
import { readEnvFile } from "./config.ts";
import { changeLines } from "./external-output.ts";
import { urlChanges } from "./external-plan.ts";
import { type AttachedResource, nameOf, textOf, updateUrls } from "./external-resources.ts";
import { say, warn } from "./output.ts";

/** The variables of a resource's kinds that do not hold its secret here, each with where it was read. */
function missingSecrets(resource: AttachedResource, envFile: string, environment: NodeJS.ProcessEnv): string[] {
  const file = readEnvFile(envFile);
  const secret = textOf(resource.attributes.shared_secret);
  const variables = [...new Set(resource.kinds.map((kind) => EXTERNAL_KINDS[kind].secretEnv))];
  return variables.flatMap((variable) => {
    const inEnvironment = environment[variable] !== undefined;
    const value = inEnvironment ? environment[variable] : file[variable];
    if (secret !== null && parseSecretList(value).includes(secret)) return [];
    return [`${variable} (${inEnvironment ? "this shell's environment" : envFile})`];
  });
}

export async function enableExternal(
  cl: Client,
  attached: readonly AttachedResource[],
  url: string,
  envFile: string,
  environment: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let updated = 0;
  let already = 0;
  let held = 0;
  for (const resource of attached) {
    const changes = urlChanges(resource, url);
    if (changes.length === 0) {
      already++;
      continue;
    }
    const missing = missingSecrets(resource, envFile, environment);
    if (missing.length > 0) {
      warn(
        `${nameOf(resource)} not pointed at ${url}: its secret is not in ${missing.join(", ")}: run apply, deploy, then enable`,
      );
      held++;
      continue;
    }
    await updateUrls(cl, resource, Object.fromEntries(changes.map(({ field, to }) => [field, to])));
    for (const line of changeLines(resource, changes, true)) say(line);
    updated++;
  }
  say(
    updated + held === 0
      ? `All ${attached.length} attached external resources point at ${url} already.`
      : `External resources: ${updated} updated, ${already} pointed at ${url} already${held > 0 ? `, ${held} left as they were` : ""}.`,
  );
  return held > 0 ? 1 : 0;
}
