// `apply`: makes Commerce Layer match the plan, then reads every managed webhook's secret back and writes them, bound
// to their topics, into the env file. New webhooks are created disabled (a webhook delivers as soon as it exists, and
// the receiver does not know its secret yet); `enable` switches them on once the secrets are deployed. Idempotent: a
// second apply finds nothing to change and sends no write request.
import type { Webhook } from "@commercelayer/sdk";
import { formatTopicSecrets, TOPIC_SECRETS_ENV, type TopicSecret } from "../../shared/core/topic-secrets.ts";
import type { Client } from "./client.ts";
import type { Desired } from "./desired.ts";
import { writeEnvVariable } from "./env-file.ts";
import { step } from "./faults.ts";
import { keepSecret, say } from "./output.ts";
import { makePlan, type Plan, type PlannedCreate, type PlannedUpdate } from "./plan.ts";
import { createLine, deleteLine, printRest, updateLines } from "./plan-output.ts";
import { isDisabled, MANAGED_ORIGIN, managedWebhooks, unmanagedWebhooks } from "./webhooks.ts";

export async function currentPlan(cl: Client, desired: Desired, url: string, rotate: boolean): Promise<Plan> {
  const managed = await managedWebhooks(cl);
  return makePlan(desired.webhooks, url, managed, await unmanagedWebhooks(cl), rotate);
}

async function create(cl: Client, planned: PlannedCreate): Promise<void> {
  const { topic, name, callback_url, include_resources } = planned;
  // `_disable` on create (the SDK's WebhookCreate has it); if the answer shows it enabled all the same, disable it.
  const created = await step(`create the ${topic} webhook`, () =>
    cl.webhooks.create({
      topic,
      name,
      callback_url,
      include_resources: [...include_resources],
      reference: topic,
      reference_origin: MANAGED_ORIGIN,
      _disable: true,
    }),
  );
  if (!isDisabled(created)) await step(`disable the new ${topic} webhook`, () => cl.webhooks._disable(created.id));
  say(createLine(planned, created.id));
}

async function update(cl: Client, planned: PlannedUpdate): Promise<void> {
  const fields = Object.fromEntries(planned.changes.map(({ field, to }) => [field, Array.isArray(to) ? [...to] : to]));
  await step(`update the ${planned.topic} webhook ${planned.id}`, () =>
    cl.webhooks.update({ id: planned.id, ...fields }),
  );
  for (const line of updateLines(planned, true)) say(line);
}

/** The secrets of the managed webhooks of these topics, newest first within a topic (read back with a GET). */
async function topicSecrets(cl: Client, managed: readonly Webhook[], topics: ReadonlySet<string>) {
  const entries: TopicSecret[] = [];
  for (const webhook of [...managed].reverse()) {
    if (!topics.has(webhook.topic)) continue;
    let secret = webhook.shared_secret;
    if (!secret) {
      const read: Webhook = await step(`read the ${webhook.topic} webhook's secret`, () =>
        cl.webhooks.retrieve(webhook.id),
      );
      secret = read.shared_secret;
    }
    keepSecret(secret);
    if (secret) entries.push({ topic: webhook.topic, secret });
  }
  return entries.sort((a, b) => a.topic.localeCompare(b.topic));
}

export async function apply(cl: Client, desired: Desired, url: string, envFile: string, rotate: boolean) {
  const plan = await currentPlan(cl, desired, url, rotate);
  say(`Applying to Commerce Layer, for ${url}:`);
  for (const planned of plan.create) await create(cl, planned);
  for (const planned of plan.update) await update(cl, planned);
  for (const planned of plan.delete) {
    await step(`delete the ${planned.topic} webhook ${planned.id}`, () => cl.webhooks.delete(planned.id));
    say(deleteLine(planned, true));
  }
  printRest(plan);

  const after = await managedWebhooks(cl);
  const secrets = await topicSecrets(cl, after, new Set(desired.webhooks.map(({ topic }) => topic)));
  const change = writeEnvVariable(envFile, TOPIC_SECRETS_ENV, formatTopicSecrets(secrets));
  const count = `${secrets.length} secret${secrets.length === 1 ? "" : "s"}`;
  say(
    change === "unchanged"
      ? `${TOPIC_SECRETS_ENV} in ${envFile} is up to date (${count}).`
      : `${TOPIC_SECRETS_ENV} written to ${envFile} (${count}; ${change === "created" ? "file created" : "only that line changed"}).`,
  );
  const disabled = after.filter(isDisabled).length;
  if (disabled > 0) {
    say(
      `Next: deploy so that the platform has ${TOPIC_SECRETS_ENV}, then \`npm run commercelayer -- enable\` (${disabled} disabled).`,
    );
  }
}
