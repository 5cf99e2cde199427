// Which relationships a resource has and what they point at. Most are stored linkage (a seeded order's customer, an
// event_callback's webhook); a few are the API's own queries (a webhook's last_event_callbacks, an event's webhooks).
// Documents, includes, filters on `<relationship>_id` and the related-resource routes all ask here.
import { kindOf } from "./kinds.ts";
import type { RelationshipValue, Store, StoredResource } from "./store.ts";

/** Relationships of the resources a test seeds, by type: `{ orders: { customer: "customers", line_items: ... } }`. */
export type ResourceRelationships = Readonly<Record<string, Readonly<Record<string, string>>>>;

export class Relations {
  constructor(
    private readonly store: Store,
    private readonly schema: ResourceRelationships,
  ) {}

  /** The relationship names a resource shows: its kind's, else the schema's and whatever it was seeded with. */
  names(record: StoredResource): string[] {
    const kind = kindOf(record.type);
    if (kind !== undefined) return Object.keys(kind.relationships);
    return [...new Set([...Object.keys(this.schema[record.type] ?? {}), ...Object.keys(record.relationships)])];
  }

  /** Whether the kinds or the schema describe this type's relationships (an include path is checked only then). */
  knowsType(type: string): boolean {
    return kindOf(type) !== undefined || Object.hasOwn(this.schema, type);
  }

  has(type: string, name: string): boolean {
    const kind = kindOf(type);
    if (kind !== undefined) return Object.hasOwn(kind.relationships, name);
    return Object.hasOwn(this.schema[type] ?? {}, name);
  }

  /** The type a relationship points at, when the kinds or the schema say. */
  target(type: string, name: string): string | undefined {
    return kindOf(type)?.relationships[name]?.type ?? this.schema[type]?.[name];
  }

  /** The linkage of `name`, or undefined when the resource has no such relationship. */
  linkage(record: StoredResource, name: string): RelationshipValue | undefined {
    if (!this.names(record).includes(name)) return undefined;
    const key = `${record.type}.${name}`;
    switch (key) {
      case "webhooks.last_event_callbacks":
        return this.callbacks((callback) => linkedId(callback, "webhook") === record.id);
      case "events.last_event_callbacks":
        return this.callbacks((callback) => linkedId(callback, "event") === record.id);
      case "events.webhooks":
        return this.store
          .all("webhooks")
          .filter((webhook) => webhook.attributes.topic === record.attributes.name)
          .map(({ type, id }) => ({ type, id }));
    }
    if (name === "event_stores") return [];
    return record.relationships[name] ?? null;
  }

  /** The resources a relationship points at that the stand-in holds, as a list. */
  related(record: StoredResource, name: string): StoredResource[] {
    const linkage = this.linkage(record, name);
    if (linkage === undefined || linkage === null) return [];
    const linkages = Array.isArray(linkage) ? linkage : [linkage];
    return linkages.flatMap((link) => this.store.resolve(link) ?? []);
  }

  /** Event callbacks matching, the most recent first. */
  private callbacks(matches: (callback: StoredResource) => boolean) {
    return this.store
      .all("event_callbacks")
      .filter(matches)
      .sort((a, b) => b.seq - a.seq)
      .map(({ type, id }) => ({ type, id }));
  }
}

/** The id a to-one relationship points at (stored linkage only). */
export function linkedId(record: StoredResource, name: string): string | undefined {
  const linkage = record.relationships[name];
  return linkage !== null && linkage !== undefined && !Array.isArray(linkage)
    ? (linkage as { id: string }).id
    : undefined;
}
