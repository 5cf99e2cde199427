// The webhooks this command manages, and how it tells them from the others: it creates each one with
// `reference_origin` set to MANAGED_ORIGIN and `reference` set to its topic, lists them by that filter on the server,
// and never touches a webhook without it (one it did not create, or one made by hand in the dashboard).

import type { Webhook } from "@commercelayer/sdk";
import { API_MAX_PAGE_SIZE } from "../../shared/core/commerce-layer.ts";
import { type Client, listAll } from "./client.ts";
import { step } from "./faults.ts";

export const MANAGED_ORIGIN = "commercelayer-webhooks-serverless";

/**
 * The name shown in the dashboard (not a marker: `reference_origin` is). Commerce Layer keeps webhook names unique,
 * so the second webhook of a rotation is named after the time it was made.
 */
export function webhookName(topic: string, rotatedAt?: Date): string {
  const rotated = rotatedAt === undefined ? "" : `, rotated ${rotatedAt.toISOString().slice(0, 19)}Z`;
  return `${topic} (${MANAGED_ORIGIN}${rotated})`;
}

export function isManaged(webhook: Webhook): boolean {
  return webhook.reference_origin === MANAGED_ORIGIN;
}

export function isDisabled(webhook: Webhook): boolean {
  return webhook.disabled_at !== null && webhook.disabled_at !== undefined;
}

/** Oldest first: during a rotation the newest webhook of a topic is the one that stays. */
function byCreation(a: Webhook, b: Webhook): number {
  return a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id);
}

/** The managed webhooks, filtered on the server, checked again here, oldest first. */
export async function managedWebhooks(cl: Client): Promise<Webhook[]> {
  const listed = await step("list the managed webhooks", () =>
    listAll((pageNumber) =>
      cl.webhooks.list({ filters: { reference_origin_eq: MANAGED_ORIGIN }, pageSize: API_MAX_PAGE_SIZE, pageNumber }),
    ),
  );
  return listed.filter(isManaged).sort(byCreation);
}

/** The webhooks that are not managed here: reported as left alone, never changed. */
export async function unmanagedWebhooks(cl: Client): Promise<Webhook[]> {
  const listed = await step("list the webhooks", () =>
    listAll((pageNumber) => cl.webhooks.list({ pageSize: API_MAX_PAGE_SIZE, pageNumber })),
  );
  return listed.filter((webhook) => !isManaged(webhook)).sort(byCreation);
}

/** The managed webhooks of one topic (`--topic`), or all of them. */
export async function managedFor(cl: Client, topic: string | undefined): Promise<Webhook[]> {
  const managed = await managedWebhooks(cl);
  return topic === undefined ? managed : managed.filter((webhook) => webhook.topic === topic);
}
