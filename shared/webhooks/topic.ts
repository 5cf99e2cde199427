// Topic names and what can be derived from them. Types only, plus two tiny run-time checks.
import type { CurrentTopic, SeedTopic } from "../generated/topics.ts";

/** Every topic this project knows by name: the original 36 and those the dashboard offers today. */
export type KnownTopic = SeedTopic | CurrentTopic;

/** The resource part of a topic (`orders` for `orders.place`). Equal to the delivered `data.type`. */
export type ResourceOf<T extends string> = T extends `${infer R}.${string}` ? R : string;

/** Every resource that has at least one known topic. */
export type KnownResource = ResourceOf<KnownTopic>;

/** The events known for one resource: `EventOf<"orders">` is `"place" | "approve" | ...`. */
export type EventOf<R extends KnownResource> = KnownTopic extends infer T
  ? T extends `${R}.${infer E}`
    ? E
    : never
  : never;

/**
 * What a handler can be registered for: one known topic, every topic of a known resource (`orders.*`), or any topic.
 * Topics Commerce Layer adds later still reach `*` and `resource.*` handlers at run time.
 */
export type TopicPattern = KnownTopic | `${KnownResource}.*` | "*";

// Commerce Layer topics are `<resource>.<event>`, both snake_case.
const TOPIC_SHAPE = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

export function isTopicShaped(value: string): boolean {
  return TOPIC_SHAPE.test(value);
}

export function resourceOfTopic(topic: string): string {
  return topic.slice(0, topic.indexOf("."));
}
