// The relationships a handler reads, declared with it: they become its webhook's `include_resources`, so that what a
// handler looks up is what Commerce Layer sends (`npm run commercelayer -- plan` reads them from the handler map).
// `withIncludes(paths, handler)` states them where the handler is written, typed by the topic it is registered for:
// the paths are checked against the topic's resource, and the handler's event reads those relationships, typed.
import type { WebhookEvent } from "./event.ts";
import type { IncludePath } from "./relationships.ts";
import { DEFERRED, type TopicHandler } from "./router.ts";
import type { ResourceOf } from "./topic.ts";

/** What a handler that declares its includes carries (the include paths, as Commerce Layer takes them). */
export const INCLUDES = Symbol.for("commercelayer-webhooks.includes");

/** The include paths a handler declared (through `deferred(...)` too); none when it declared nothing. */
export function declaredIncludes(handler: TopicHandler): readonly string[] {
  const marked = handler as TopicHandler & {
    readonly [INCLUDES]?: readonly string[];
    readonly [DEFERRED]?: TopicHandler;
  };
  const own = marked[INCLUDES];
  if (own !== undefined) return own;
  const inner = marked[DEFERRED];
  return inner === undefined ? [] : declaredIncludes(inner);
}

/**
 * The include paths a handler registered for topic T may declare. A `*` handler serves the webhooks of every topic,
 * each with its own resource: its paths could not be checked, nor given to one webhook, so it declares none.
 */
export type IncludesFor<T extends string> =
  string extends ResourceOf<T>
    ? "withIncludes needs the key of a known topic (orders.place) or resource (orders.*): a * handler declares none"
    : IncludePath<ResourceOf<T>>;

/** A handler whose event reads the relationships of Paths. */
export type IncludingHandler<T extends string, Paths extends string> = (event: WebhookEvent<T, Paths>) => unknown;

/**
 * Declares the include paths a handler reads (`["line_items", "line_items.item"]`): its event's `relatedOne` and
 * `relatedMany` then read those relationships, typed, and `npm run commercelayer -- apply` makes them its webhook's
 * `include_resources`. Its topic comes from the key it is registered under; defined apart, annotate it:
 * `const handle: TopicHandler<"orders.place"> = withIncludes([...], async (event) => ...)`. Wrap it in `deferred(...)`,
 * not the other way round, so that the deferred handler's event is the one with the includes.
 */
export function withIncludes<T extends string, const Paths extends readonly IncludesFor<T>[]>(
  paths: Paths,
  handler: IncludingHandler<T, Paths[number]>,
): TopicHandler<T> {
  // The event is the same object whatever the includes: they only change what its type lets the handler read.
  const run = handler as unknown as TopicHandler<T>;
  // A new function, so that one handler can be registered twice with different includes. Keeping the deferred marker
  // keeps `withIncludes(paths, deferred(handler))` deferred: the router still hands it off instead of running it.
  const including: TopicHandler<T> = (event) => run(event);
  const inner = (handler as { readonly [DEFERRED]?: TopicHandler })[DEFERRED];
  return Object.assign(including, {
    [INCLUDES]: Object.freeze([...paths]) as readonly string[],
    ...(inner === undefined ? {} : { [DEFERRED]: inner }),
  });
}
