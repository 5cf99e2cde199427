// What functions/handlers.ts imports: the handler map's types and helpers, and the template's options. Every deployable
// bundle and the local receiver are built from that one file (its `handlers`, and its `options` when it has them).
import { type HandOff, withHandOff } from "./core/deferred.ts";
import type { DeliveryLogger } from "./core/log.ts";
import type { DeduplicationOptions, ReceiverOptions } from "./core/receiver.ts";
import type { WebhookHandlers } from "./core/router.ts";

export { createMemoryClaimStore, type DeliveryClaimStore } from "./core/claims.ts";
export { deferred } from "./core/deferred.ts";
export type { WebhookEvent } from "./core/event.ts";
export { defineWebhookHandlers, type WebhookHandlers } from "./core/router.ts";

/** The platforms the template deploys to, as the template's options name them. */
export type PlatformName = "vercel" | "aws-lambda" | "netlify";

export interface TemplateOptions {
  /**
   * Duplicate suppression (off when absent). Pick a store that the platform you deploy to can reach: the memory store
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

/** What a platform's entry point serves: the handler map and the receiver's options. */
export interface Served {
  readonly handlers: WebhookHandlers;
  readonly options: Omit<ReceiverOptions, "platform">;
}

function receiverOptions(file: HandlersFile, platform: PlatformName): Omit<ReceiverOptions, "platform"> {
  const { deduplicate, handOff: _handOff, ...rest } = file.options ?? {};
  const claims = typeof deduplicate === "function" ? deduplicate(platform) : deduplicate;
  return claims ? { ...rest, deduplicate: claims } : rest;
}

/**
 * The receiving function's side: the `deferred(...)` handlers replaced by a hand-off (the one the file's options name
 * for this platform, else the platform's own), the direct ones as they are.
 */
export function receivingSide(file: HandlersFile, platform: PlatformName, platformHandOff: () => HandOff): Served {
  const handOff = file.options?.handOff?.[platform] ?? platformHandOff();
  return { handlers: withHandOff(file.handlers, handOff), options: receiverOptions(file, platform) };
}

/** The worker's side: the whole map (the worker keeps only the deferred handlers), without duplicate suppression. */
export function workerSide(file: HandlersFile): Served {
  // Not receiverOptions: a `deduplicate` function would create a store (and its client) the worker never uses.
  const { deduplicate: _claims, handOff: _handOff, ...options } = file.options ?? {};
  return { handlers: file.handlers, options };
}
