// The types a user's own handler file needs, re-exported by every platform's factory file.
export type { DeliveryLogEntry, DeliveryLogger, DeliveryOutcome } from "./delivery-log.ts";
export type { WebhookEvent } from "./event.ts";
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
export type { ReceiverOptions } from "./receiver.ts";
export type { EventTopicFor, TopicHandler, WebhookHandlers } from "./router.ts";
export type { EventOf, KnownResource, KnownTopic, ResourceOf, TopicPattern } from "./topic.ts";
export type { CurrentTopic, SeedTopic } from "./topics.ts";
