// `enable`: switches the managed webhooks on, once the secrets `apply` wrote are deployed (a webhook delivers as soon
// as it is enabled). Idempotent: enabled webhooks are left as they are.
import type { Client } from "./client.ts";
import { step } from "./faults.ts";
import { say, warn } from "./output.ts";
import { isDisabled, managedFor } from "./webhooks.ts";

export async function enable(cl: Client, topic: string | undefined): Promise<number> {
  const managed = await managedFor(cl, topic);
  if (managed.length === 0) {
    warn(topic === undefined ? "no managed webhooks: run apply first" : `no managed webhook for ${topic}`);
    return 1;
  }
  let enabled = 0;
  for (const webhook of managed.filter(isDisabled)) {
    await step(`enable the ${webhook.topic} webhook ${webhook.id}`, () => cl.webhooks._enable(webhook.id));
    say(`  enabled ${webhook.topic} ${webhook.id}`);
    enabled++;
  }
  say(
    enabled === 0
      ? `All ${managed.length} managed webhooks were enabled already.`
      : `${enabled} enabled, ${managed.length - enabled} were already.`,
  );
  return 0;
}
