// The types a user's own handler file needs, re-exported by every platform's factory file.

export type { CurrentTopic, SeedTopic } from "../generated/topics.ts";
export type { DeliveryClaimStore } from "./claims.ts";
export type { SignedDelivery, WebhookEvent } from "./event.ts";
export type { DeliveryLogEntry, DeliveryLogger, DeliveryOutcome } from "./log.ts";
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
} from "./payload.ts";
export type { DeduplicationOptions, ReceiverOptions } from "./receiver.ts";
export type { DeliveryResult, FailedReason, RejectedReason } from "./result.ts";
export type { EventTopicFor, TopicHandler, WebhookHandlers } from "./router.ts";
export type { EventOf, KnownResource, KnownTopic, ResourceOf, TopicPattern } from "./topic.ts";
