// The lookups in `included` a webhook handler's event carries, typed by the include paths its handler declared
// (withIncludes): a relationship is read only when the webhook's `include_resources` brings it, so reading one that was
// not declared is a type error that names it, instead of an empty result at run time. Types only: the event's lookups
// are shared/core/included.ts's, unchanged.
import type { JsonApiResource, ResourceIdentifier } from "../core/payload.ts";
import type { IncludedResource, TargetOf, ToOneName } from "./relationships.ts";

/** Every name in the declared paths, whatever it is read from (`line_items.item` → `line_items`, `item`). */
type AnyDeclaredName<Paths extends string> = Paths extends `${infer First}.${infer Second}.${infer Third}`
  ? First | Second | Third
  : Paths extends `${infer First}.${infer Second}`
    ? First | Second
    : Paths;

/**
 * The names the declared paths read from a resource of type From, walking each path from R: `line_items.item` reads
 * `line_items` from R's resource and `item` from a line item. Three names deep, written out rather than recursive:
 * comparing two events' types must not walk an unbounded type.
 */
type NamesFrom<
  R extends string,
  Paths extends string,
  From extends string,
> = Paths extends `${infer First}.${infer Second}.${infer Third}`
  ?
      | (From extends R ? First : never)
      | (From extends TargetOf<R, First> ? Second : never)
      | (From extends TargetOf<TargetOf<R, First>, Second> ? Third : never)
  : Paths extends `${infer First}.${infer Second}`
    ? (From extends R ? First : never) | (From extends TargetOf<R, First> ? Second : never)
    : From extends R
      ? Paths
      : never;

/**
 * What the declared paths let a handler read from `from` (From: its `type`; never when it is left out and the lookup
 * starts at `data`). A resource whose type is only `string` gets every declared name, loosely.
 */
type Readable<R extends string, Paths extends string, From extends string> = [From] extends [never]
  ? NamesFrom<R, Paths, R>
  : string extends From
    ? AnyDeclaredName<Paths>
    : NamesFrom<R, Paths, From>;

/** The type the lookup reads a relationship of: `data`'s, or `from`'s. */
type Owner<R extends string, From extends string> = [From] extends [never] ? R : From;

/** The resource(s) relationship N of Type points at, typed; a generic resource where the table does not say. */
type Related<Type extends string, N extends string> = [TargetOf<Type, N>] extends [never]
  ? JsonApiResource
  : IncludedResource<TargetOf<Type, N>>;

/**
 * The relationship argument of the lookups: N itself when the declared paths read it from `from`, else a message that
 * the type error quotes (TypeScript infers N from either branch). One message per lookup, and `[N]` so that the check
 * does not distribute: that is what lets an event with more includes stand for one with fewer (`in Paths` below).
 */
type Argument<N extends string, Allowed extends string, Message extends string> = [N] extends [Allowed] ? N : Message;

type NotDeclared<N extends string> = `${N} is not in this handler's includes: declare it with withIncludes([...])`;

/**
 * A handler that declared nothing reads nothing, and its event's lookups say so without the relationship table. Each
 * factory file's declarations carry their own copy of these types, and TypeScript compares two copies of an event
 * (a map built with one file's `defineWebhookHandlers` given to another's `withHandOff`) only when no generic lookup
 * into the table is left in it.
 */
type ArgumentFor<Paths extends string, N extends string, Allowed extends string, Message extends string> = [
  Paths,
] extends [never]
  ? Argument<N, never, NotDeclared<N>>
  : Argument<N, Allowed, Message>;

type ManyArgument<R extends string, Paths extends string, From extends string, N extends string> = ArgumentFor<
  Paths,
  N,
  Readable<R, Paths, From>,
  NotDeclared<N>
>;

/** `relatedOne` reads the to-one relationships among the readable ones (any of them, when `from` is loosely typed). */
type OneArgument<R extends string, Paths extends string, From extends string, N extends string> = ArgumentFor<
  Paths,
  N,
  Readable<R, Paths, From> & (string extends From ? string : ToOneName<Owner<R, From>>),
  `${N} is not a to-one relationship in this handler's includes: declare it with withIncludes([...]), or read a to-many one with relatedMany`
>;

/** What a lookup gives: the typed resource (none at all when the handler declared no includes, as above). */
type Result<R extends string, Paths extends string, From extends string, N extends string> = [Paths] extends [never]
  ? never
  : Related<Owner<R, From>, N>;

/**
 * The lookups of an event whose topic delivers resource R, for a handler that declared the include paths Paths. `in`:
 * an event with more includes can be given where one with fewer is expected (a helper that reads `line_items`).
 */
export interface DeclaredLookups<R extends string, in Paths extends string> {
  /**
   * The included resource a to-one relationship of `from` (default: `data`) points at, if it was included. Only the
   * relationships the handler declared (`withIncludes`), and `from`'s to those a dotted path declared
   * (`line_items.item`: `relatedOne("item", lineItem)`).
   */
  relatedOne<N extends string, From extends string = never>(
    relationship: OneArgument<R, Paths, From, N>,
    from?: JsonApiResource<From, unknown>,
  ): Result<R, Paths, From, N> | undefined;
  /** The included resources a declared relationship of `from` (default: `data`) points at; `[]` when none was. */
  relatedMany<N extends string, From extends string = never>(
    relationship: ManyArgument<R, Paths, From, N>,
    from?: JsonApiResource<From, unknown>,
  ): Result<R, Paths, From, N>[];
  /** An included resource by type and id. */
  find<Found extends JsonApiResource = JsonApiResource>(identifier: ResourceIdentifier): Found | undefined;
}
