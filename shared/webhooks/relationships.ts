// What the generated relationship table (shared/generated/resource-relationships.ts) says, asked by resource type:
// the relationship names, where each one points, the include paths Commerce Layer takes, and the typed resources an
// included relationship gives. Types only.
import type { AttributesFor, JsonApiResource } from "../core/payload.ts";
import type { ResourceRelationships, ToMany, ToOne } from "../generated/resource-relationships.ts";

// A type the table does not describe has no relationships (`keyof never` would be every key).
type RelationshipsOf<R extends string> = R extends keyof ResourceRelationships
  ? ResourceRelationships[R]
  : Record<never, never>;

/**
 * The relationship names of resource type R. Over a union (a polymorphic relationship's targets) it is every name of
 * any of them; a type the table does not describe has none.
 */
export type RelationshipName<R extends string> = R extends string ? keyof RelationshipsOf<R> & string : never;

/** The type(s) relationship N of resource type R points at (over unions: of whichever member has N). */
export type TargetOf<R extends string, N extends string> = R extends string
  ? N extends keyof RelationshipsOf<R>
    ? RelationshipsOf<R>[N] extends ToOne<infer Type> | ToMany<infer Type>
      ? Type
      : never
    : never
  : never;

/** The to-one relationship names of R: the ones `relatedOne` reads. */
export type ToOneName<R extends string> = R extends string
  ? { [N in RelationshipName<R>]: RelationshipsOf<R>[N] extends ToOne<string> ? N : never }[RelationshipName<R>]
  : never;

/**
 * The include paths Commerce Layer takes for a webhook whose topic delivers R: a relationship (`line_items`) or one of
 * its target's relationships (`line_items.item`), checked against the SDK's types. A path goes on unchecked past the
 * second name (`line_items.item.prices`): the table describes resources one level from a topic's, no further.
 */
export type IncludePath<R extends string> = {
  [N in RelationshipName<R>]: N | `${N}.${RelationshipName<TargetOf<R, N>>}${"" | `.${string}`}`;
}[RelationshipName<R>];

/**
 * A resource of type Type as `included` carries it: typed attributes where the template generates them (a
 * `Record<string, unknown>` otherwise). Over a union, a union of resources that `type` tells apart.
 */
export type IncludedResource<Type extends string> = Type extends string
  ? JsonApiResource<Type, AttributesFor<Type>>
  : never;
