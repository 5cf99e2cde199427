// What `apply` will do, worked out from the handlers file, the URL and the managed webhooks, with no request of its
// own: `plan` prints it, `apply` carries it out. A topic's webhooks converge on one; during a rotation a topic has two
// (the old one, enabled, and its successor, created disabled) until the successor is enabled, and then the next apply
// deletes the old one.
import type { Webhook } from "@commercelayer/sdk";
import type { DesiredWebhook } from "./desired.ts";
import { isDisabled, webhookName } from "./webhooks.ts";

/** The fields apply keeps as the handlers file and `--url` say (the name is only set on create: see webhookName). */
export interface WebhookFields {
  readonly callback_url: string;
  readonly include_resources: readonly string[];
}

export type Field = keyof WebhookFields;

export interface FieldChange {
  readonly field: Field;
  readonly from: string | readonly string[] | null;
  readonly to: string | readonly string[];
}

export interface PlannedCreate extends WebhookFields {
  readonly topic: string;
  readonly name: string;
  /** A new topic, or the successor of a webhook being rotated. */
  readonly reason: "new topic" | "rotation";
}

export interface PlannedUpdate {
  readonly id: string;
  readonly topic: string;
  readonly changes: readonly FieldChange[];
}

export interface PlannedDelete {
  readonly id: string;
  readonly topic: string;
  readonly reason: string;
}

export interface Listed {
  readonly id: string;
  readonly topic: string;
  readonly callback_url: string;
}

export interface Plan {
  readonly url: string;
  readonly create: readonly PlannedCreate[];
  readonly update: readonly PlannedUpdate[];
  readonly delete: readonly PlannedDelete[];
  readonly unchanged: readonly Listed[];
  /** Webhooks without the marker: never touched. */
  readonly unmanaged: readonly Listed[];
  readonly notes: readonly string[];
}

/** Whether apply would change nothing. */
export function isEmpty(plan: Plan): boolean {
  return plan.create.length + plan.update.length + plan.delete.length === 0;
}

function listed(webhook: Webhook): Listed {
  return { id: webhook.id, topic: webhook.topic, callback_url: webhook.callback_url };
}

function changesOf(webhook: Webhook, wanted: WebhookFields): FieldChange[] {
  const changes: FieldChange[] = [];
  if (webhook.callback_url !== wanted.callback_url) {
    changes.push({ field: "callback_url", from: webhook.callback_url ?? null, to: wanted.callback_url });
  }
  const current = [...(webhook.include_resources ?? [])].sort();
  if (current.join("\n") !== wanted.include_resources.join("\n")) {
    changes.push({ field: "include_resources", from: current, to: wanted.include_resources });
  }
  return changes;
}

export function makePlan(
  desired: readonly DesiredWebhook[],
  url: string,
  managed: readonly Webhook[],
  unmanaged: readonly Webhook[],
  rotate: boolean,
  now: Date = new Date(),
): Plan {
  const plan = {
    url,
    create: [] as PlannedCreate[],
    update: [] as PlannedUpdate[],
    delete: [] as PlannedDelete[],
    unchanged: [] as Listed[],
    unmanaged: unmanaged.map(listed),
    notes: [] as string[],
  };
  const byTopic = new Map<string, Webhook[]>();
  for (const webhook of managed) byTopic.set(webhook.topic, [...(byTopic.get(webhook.topic) ?? []), webhook]);
  for (const { topic, includeResources } of desired) {
    const wanted: WebhookFields = { callback_url: url, include_resources: includeResources };
    const existing = byTopic.get(topic) ?? [];
    let kept = existing;
    if (existing.length === 0) plan.create.push({ topic, name: webhookName(topic), ...wanted, reason: "new topic" });
    else if (existing.length === 1 && rotate) {
      plan.create.push({ topic, name: webhookName(topic, now), ...wanted, reason: "rotation" });
    } else if (existing.length > 1) {
      const newest = existing.at(-1) as Webhook;
      if (isDisabled(newest)) {
        plan.notes.push(
          `${topic}: rotation under way: its new webhook (${newest.id}) is disabled; once its secret is deployed, run enable, then apply`,
        );
      } else {
        kept = [newest];
        for (const older of existing.slice(0, -1)) {
          plan.delete.push({ id: older.id, topic, reason: `replaced by ${newest.id}, which is enabled` });
        }
      }
      if (rotate) plan.notes.push(`${topic}: not rotated again while a rotation is under way`);
    }
    for (const webhook of kept) {
      const changes = changesOf(webhook, wanted);
      if (changes.length > 0) plan.update.push({ id: webhook.id, topic, changes });
      else plan.unchanged.push(listed(webhook));
    }
  }
  const wantedTopics = new Set(desired.map(({ topic }) => topic));
  for (const webhook of managed) {
    if (!wantedTopics.has(webhook.topic)) {
      plan.delete.push({ id: webhook.id, topic: webhook.topic, reason: "no handler for this topic any more" });
    }
  }
  for (const webhook of unmanaged) {
    if (webhook.callback_url === url) {
      plan.notes.push(
        `${webhook.topic} (${webhook.id}, not managed) posts to the same URL: its deliveries verify only with its secret in COMMERCELAYER_WEBHOOK_SECRET`,
      );
    }
  }
  return plan;
}
