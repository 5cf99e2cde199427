// `status`: each managed webhook's topic, URL, circuit, consecutive failures, whether it is disabled, and the response
// codes of its last callbacks; then each attached external resource's (external-status.ts). Exit 1 when a circuit is
// open, a webhook is disabled, its URL is not `--url`, an external resource needs someone, or nothing is managed at
// all: made for a cron or CI job.

import type { EventCallback, Webhook } from "@commercelayer/sdk";
import { API_MAX_PAGE_SIZE } from "../../shared/core/commerce-layer.ts";
import type { Client } from "./client.ts";
import { type ExternalStatus, printExternalStatus } from "./external-status.ts";
import { step } from "./faults.ts";
import { printJson, say, warn } from "./output.ts";
import { isDisabled, managedWebhooks } from "./webhooks.ts";

/** How many of the last callbacks' response codes are shown. */
const LAST_CALLBACKS = 5;

export interface WebhookStatus {
  readonly id: string;
  readonly topic: string;
  readonly callback_url: string;
  readonly circuit_state: string;
  readonly circuit_failure_count: number;
  readonly disabled: boolean;
  /** Newest first. */
  readonly last_response_codes: readonly string[];
  readonly problems: readonly string[];
}

function problemsOf(webhook: Webhook, url: string | undefined): string[] {
  const problems: string[] = [];
  if (webhook.circuit_state === "open") problems.push("circuit open: fix the receiver, then run reset");
  if (isDisabled(webhook)) problems.push("disabled: run enable once its secret is deployed");
  if (url !== undefined && webhook.callback_url !== url) problems.push(`URL is not ${url}: run apply`);
  return problems;
}

async function statusOf(cl: Client, webhook: Webhook, url: string | undefined): Promise<WebhookStatus> {
  const callbacks: EventCallback[] = await step(`read the last callbacks of the ${webhook.topic} webhook`, () =>
    cl.webhooks.last_event_callbacks(webhook.id, { pageSize: API_MAX_PAGE_SIZE }),
  );
  const newestFirst = [...callbacks].sort((a, b) => b.created_at.localeCompare(a.created_at));
  return {
    id: webhook.id,
    topic: webhook.topic,
    callback_url: webhook.callback_url,
    circuit_state: webhook.circuit_state ?? "closed",
    circuit_failure_count: webhook.circuit_failure_count ?? 0,
    disabled: isDisabled(webhook),
    last_response_codes: newestFirst.slice(0, LAST_CALLBACKS).map(({ response_code }) => response_code ?? "no answer"),
    problems: problemsOf(webhook, url),
  };
}

/** `external`: the attached external resources' rows, when the external handlers file implements a kind. */
export async function status(
  cl: Client,
  url: string | undefined,
  json: boolean,
  external?: readonly ExternalStatus[],
): Promise<number> {
  const managed = await managedWebhooks(cl);
  const rows: WebhookStatus[] = [];
  for (const webhook of managed) rows.push(await statusOf(cl, webhook, url));
  const problems = rows.reduce((count, row) => count + row.problems.length, 0);
  const externalProblems = (external ?? []).reduce((count, row) => count + row.problems.length, 0);
  const nothing = managed.length === 0 && (external ?? []).length === 0;
  const healthy = !nothing && problems + externalProblems === 0;
  if (json) printJson({ healthy, webhooks: rows, ...(external === undefined ? {} : { external }) });
  else {
    for (const row of rows) {
      const state = `circuit ${row.circuit_state} (${row.circuit_failure_count} failures), ${row.disabled ? "disabled" : "enabled"}`;
      say(`${row.topic} ${row.id} -> ${row.callback_url}`);
      say(`    ${state}, last responses: ${row.last_response_codes.join(" ") || "none yet"}`);
      for (const problem of row.problems) say(`    problem: ${problem}`);
    }
    if (managed.length > 0) {
      say(problems === 0 ? `All ${rows.length} managed webhooks are healthy.` : `${problems} problem(s).`);
    }
    printExternalStatus(external ?? []);
  }
  if (nothing) warn("no managed webhooks: run apply first");
  return healthy ? 0 : 1;
}
