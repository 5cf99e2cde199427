// The types a user's own handler file needs, exported by every webhook factory file.

export type { HttpAnswer } from "../core/answer.ts";
export type { DeliveryLogEntry, DeliveryLogger, DeliveryOutcome } from "../core/log.ts";
export type {
  AnyResource,
  AttributesFor,
  CustomerAttributes,
  CustomerPasswordResetAttributes,
  CustomerSubscriptionAttributes,
  ImportAttributes,
  JsonApiResource,
  OrderAttributes,
  ParcelAttributes,
  Relationship,
  ResourceAttributes,
  ResourceFor,
  ResourceIdentifier,
  ShipmentAttributes,
  WebhookPayload,
} from "../core/payload.ts";
export type { DeliveryResult, FailedReason, RejectedReason } from "../core/result.ts";
export type { CurrentTopic, SeedTopic } from "../generated/topics.ts";
export type { DeduplicationOptions, DeduplicationStore } from "./deduplication.ts";
export type { SignedDelivery, WebhookEvent } from "./event.ts";
export type { IncludesFor, IncludingHandler } from "./includes.ts";
export type { WebhookOptions } from "./receiver.ts";
export type { IncludedResource, IncludePath, RelationshipName } from "./relationships.ts";
export type { EventTopicFor, TopicHandler, WebhookHandlers } from "./router.ts";
export type { EventOf, KnownResource, KnownTopic, ResourceOf, TopicPattern } from "./topic.ts";
