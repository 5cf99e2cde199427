// `redeliver --since <time>`: the events whose deliveries to the managed webhooks failed (a callback answered other
// than 2xx) since then, and with --yes each one fired again (`_trigger`). A callback has no link to its event: its
// payload names the resource (`data.type`, `data.id`) and its webhook the topic, so the event is the resource's event
// of that name created last before the callback. A re-fire reaches every webhook on the topic, not only this one.

import type { Event, EventCallback, ListResponse, QueryParamsList, Webhook } from "@commercelayer/sdk";
import { API_MAX_PAGE_SIZE } from "../../shared/core/commerce-layer.ts";
import { type Client, listAll } from "./client.ts";
import { step, UsageError } from "./faults.ts";
import { say, warn } from "./output.ts";
import { managedFor } from "./webhooks.ts";

const UNITS_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const DAY_MS = 86_400_000;

/** `--since`: an ISO time, or a span back from now (`30m`, `2h`, `3d`); default 24 hours. */
export function parseSince(value: string | undefined, now = Date.now()): Date {
  if (value === undefined) return new Date(now - DAY_MS);
  const span = /^(\d+)([mhd])$/.exec(value.trim());
  if (span) return new Date(now - Number(span[1]) * (UNITS_MS[span[2] as string] as number));
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw new UsageError(`--since ${value}: give an ISO time (2025-01-31T12:00:00Z) or 30m, 2h, 3d`);
  return new Date(time);
}

type EventsOf = (id: string, params?: QueryParamsList<Event>) => Promise<ListResponse<Event>>;

/** The SDK's `<resource>.events(id)`, for the resources that have events (about 55 do). */
function eventsOf(cl: Client, type: string): EventsOf | undefined {
  if (!/^[a-z_]+$/.test(type)) return undefined;
  const resource = (cl as unknown as Record<string, { events?: EventsOf } | undefined>)[type];
  return typeof resource?.events === "function" ? resource.events.bind(resource) : undefined;
}

interface FailedEvent {
  readonly event: Event;
  readonly topic: string;
  readonly resource: string;
  failures: number;
  lastCode: string;
}

function isFailed(callback: EventCallback): boolean {
  return !/^2\d\d$/.test(callback.response_code ?? "");
}

function subjectOf(callback: EventCallback): { type: string; id: string } | undefined {
  const data = (callback.payload as { data?: { type?: unknown; id?: unknown } } | null | undefined)?.data;
  return typeof data?.type === "string" && typeof data.id === "string" ? { type: data.type, id: data.id } : undefined;
}

async function failedCallbacks(cl: Client, webhook: Webhook, since: Date): Promise<EventCallback[]> {
  const callbacks = await step(`list the callbacks of the ${webhook.topic} webhook`, () =>
    listAll((pageNumber) =>
      cl.event_callbacks.list({
        filters: { webhook_id_eq: webhook.id, created_at_gteq: since.toISOString() },
        pageSize: API_MAX_PAGE_SIZE,
        pageNumber,
      }),
    ),
  );
  return callbacks.filter((callback) => isFailed(callback) && callback.created_at >= since.toISOString());
}

/** The events behind the failed callbacks, each once. */
async function failedEvents(cl: Client, webhooks: readonly Webhook[], since: Date): Promise<FailedEvent[]> {
  const found = new Map<string, FailedEvent>();
  const eventLists = new Map<string, Event[]>();
  for (const webhook of webhooks) {
    for (const callback of await failedCallbacks(cl, webhook, since)) {
      const subject = subjectOf(callback);
      const list = subject && eventsOf(cl, subject.type);
      if (subject === undefined || list === undefined) {
        warn(`a failed ${webhook.topic} callback (${callback.id}) names no resource whose events can be read: skipped`);
        continue;
      }
      const resource = `${subject.type}/${subject.id}`;
      const key = `${webhook.topic} ${resource}`;
      let events = eventLists.get(key);
      if (events === undefined) {
        events = await step(`list the events of ${resource}`, () =>
          listAll((pageNumber) =>
            list(subject.id, { filters: { name_eq: webhook.topic }, pageSize: API_MAX_PAGE_SIZE, pageNumber }),
          ),
        );
        events = events
          .filter(({ name }) => name === webhook.topic)
          .sort((a, b) => a.created_at.localeCompare(b.created_at));
        eventLists.set(key, events);
      }
      const event = events.filter(({ created_at }) => created_at <= callback.created_at).at(-1) ?? events.at(-1);
      if (event === undefined) {
        warn(`no ${webhook.topic} event found on ${resource} for callback ${callback.id}: skipped`);
        continue;
      }
      const seen = found.get(event.id);
      if (seen === undefined) {
        found.set(event.id, {
          event,
          topic: webhook.topic,
          resource,
          failures: 1,
          lastCode: callback.response_code ?? "no answer",
        });
      } else seen.failures++;
    }
  }
  return [...found.values()].sort((a, b) => a.event.created_at.localeCompare(b.event.created_at));
}

export async function redeliver(cl: Client, topic: string | undefined, since: Date, fire: boolean): Promise<number> {
  const managed = await managedFor(cl, topic);
  if (managed.length === 0) {
    warn(topic === undefined ? "no managed webhooks: run apply first" : `no managed webhook for ${topic}`);
    return 1;
  }
  const events = await failedEvents(cl, managed, since);
  if (events.length === 0) {
    say(`No failed deliveries since ${since.toISOString()}.`);
    return 0;
  }
  say(`Events with failed deliveries since ${since.toISOString()}:`);
  for (const { event, topic: name, resource, failures, lastCode } of events) {
    say(`  ${name} ${resource} event ${event.id} (${failures} failed callback(s), last answered ${lastCode})`);
  }
  say(
    "A re-fired event reaches every webhook on its topic, not only the managed one: make handlers safe to run twice, or turn on deduplication (docs/deferred-and-duplicates.md).",
  );
  if (!fire) {
    say(`Run again with --yes to re-fire ${events.length === 1 ? "this event" : `these ${events.length} events`}.`);
    return 0;
  }
  for (const { event, topic: name, resource } of events) {
    await step(`re-fire event ${event.id} (${name} ${resource})`, () => cl.events._trigger(event.id));
    say(`  re-fired ${event.id} (${name} ${resource})`);
  }
  say(`${events.length} event(s) re-fired.`);
  return 0;
}
