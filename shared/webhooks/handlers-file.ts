// What functions/handlers.ts imports: the handler map's types and helpers, and the template's options; and how the
// entry points under functions/<platform>/ read that file. Every deployable bundle and the local receiver are built
// from it (its `handlers`, and its `options` when it has them).

import type { HttpEndpoint } from "../core/endpoint.ts";
import type { DeliveryLogger } from "../core/log.ts";
import type { ReceiverRuntime } from "../core/runtime.ts";
import type { DeduplicationOptions } from "./deduplication.ts";
import { type HandOff, withHandOff } from "./deferred.ts";
import { createWebhookReceiver, type WebhookOptions, webhookEndpoint } from "./receiver.ts";
import type { WebhookHandlers } from "./router.ts";

export { createMemoryDeduplicationStore, type DeduplicationStore } from "./deduplication.ts";
export { deferred } from "./deferred.ts";
export type { WebhookEvent } from "./event.ts";
export { withIncludes } from "./includes.ts";
export { defineWebhookHandlers, type TopicHandler, type WebhookHandlers } from "./router.ts";

/** The platforms the template deploys to, as the template's options name them. */
export type PlatformName = "vercel" | "aws-lambda" | "netlify";

export interface TemplateOptions {
  /**
   * Deduplication (off when absent). Pick a store that the platform you deploy to can reach: the memory store
   * anywhere (one warm instance only), DynamoDB on AWS, Netlify Blobs on Netlify, Redis anywhere. A function picks
   * one per platform.
   */
  readonly deduplicate?: DeduplicationOptions | ((platform: PlatformName) => DeduplicationOptions | undefined);
  /** Replaces a platform's own hand-off for `deferred(...)` handlers (e.g. Vercel Queues instead of `waitUntil`). */
  readonly handOff?: { readonly [P in PlatformName]?: HandOff };
  /** Largest body accepted, in bytes. Default: `COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES` or 5 MiB. */
  readonly maxBodyBytes?: number;
  /** When handlers still running are logged `at_risk`. Default: `COMMERCELAYER_WEBHOOK_BUDGET_MS` or 4000 ms. */
  readonly handlerBudgetMs?: number;
  /** Where the one line per delivery goes. Default: JSON on stdout. */
  readonly log?: DeliveryLogger;
}

/** Gives the options their types (and a type error for a misspelt option) in functions/handlers.ts. */
export function defineTemplateOptions(options: TemplateOptions): TemplateOptions {
  return options;
}

/** The user's file as the entry points import it (`import * as handlersFile`); `options` may be left out. */
export interface HandlersFile {
  readonly handlers: WebhookHandlers;
  readonly options?: TemplateOptions;
}

/**
 * The receiving function: the file's handlers, each `deferred(...)` one replaced by a hand-off (the one the file's
 * options name for this platform, else the platform's own), and its options with deduplication resolved for the
 * platform. `label` names the log lines (default: the platform).
 */
export function receivingSide(
  runtime: ReceiverRuntime,
  file: HandlersFile,
  platform: PlatformName,
  platformHandOff: () => HandOff,
  label: string = platform,
): HttpEndpoint {
  const { deduplicate, handOff, ...rest } = file.options ?? {};
  const resolved = typeof deduplicate === "function" ? deduplicate(platform) : deduplicate;
  const handlers = withHandOff(file.handlers, handOff?.[platform] ?? platformHandOff());
  const options: WebhookOptions = { platform: label, ...rest, ...(resolved ? { deduplicate: resolved } : {}) };
  return webhookEndpoint(createWebhookReceiver(runtime, handlers, options));
}

/** The worker's side: the whole map (the worker keeps only the deferred handlers) and the options it uses. */
export function workerSide(file: HandlersFile): {
  readonly handlers: WebhookHandlers;
  readonly options: Omit<WebhookOptions, "deduplicate">;
} {
  // Without `deduplicate`: a `deduplicate` function would create a store (and its client) the worker never uses.
  const { deduplicate: _deduplicate, handOff: _handOff, ...options } = file.options ?? {};
  return { handlers: file.handlers, options };
}
