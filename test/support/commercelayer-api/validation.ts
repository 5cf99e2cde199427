// What a create or an update must satisfy, answered 422 VALIDATION_ERROR with one error per attribute, in Rails'
// wording: a required attribute blank, a topic Commerce Layer does not offer, a URL that is not one, an include path
// that names no relationship of the topic's resource.
import type { ValidationIssue } from "./errors.ts";
import type { ResourceKind } from "./kinds.ts";
import { checkIncludePath } from "./query.ts";
import type { Relations } from "./relations.ts";
import type { Store } from "./store.ts";

export interface ValidationContext {
  /** The topics a webhook may name. */
  readonly topics: ReadonlySet<string>;
  readonly relations: Relations;
  readonly store: Store;
}

const blank = (value: unknown) => value === null || value === undefined || value === "";

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

const SCHEMES = ["flat", "weight_tiered", "external"];

/**
 * The issues of a resource's attributes as they would be saved (the stored ones with the request's applied).
 * `sent` names what the request sent: an update is refused for blanking a required attribute, not for one a seeded
 * resource never had.
 */
export function validate(
  kind: ResourceKind,
  attributes: Readonly<Record<string, unknown>>,
  context: ValidationContext,
  sent?: ReadonlySet<string>,
  id?: string,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const issue = (attribute: string, message: string, error: string, value?: unknown) =>
    issues.push({ attribute, message, error, value });
  const required = kind.type === "webhooks" ? kind.requiredOnCreate : kind.attributes.includes("name") ? ["name"] : [];
  for (const name of required) {
    if ((sent === undefined || sent.has(name)) && blank(attributes[name])) issue(name, "can't be blank", "blank");
  }

  const name = attributes.name;
  if (kind.uniqueName && !blank(name)) {
    const taken = context.store.all(kind.type).some((other) => other.id !== id && other.attributes.name === name);
    if (taken) issue("name", "has already been taken", "taken", name);
  }

  const topic = attributes.topic;
  if (kind.type === "webhooks" && !blank(topic) && !context.topics.has(String(topic))) {
    issue("topic", "is not included in the list", "inclusion", topic);
  }
  for (const name of kind.callUrls) {
    const value = attributes[name];
    if (!blank(value) && !isHttpUrl(value)) issue(name, "is invalid", "invalid", value);
  }
  for (const name of ["include_resources", "external_includes"]) {
    const value = attributes[name];
    if (blank(value) || !kind.attributes.includes(name)) continue;
    if (!Array.isArray(value) || !value.every((path) => typeof path === "string")) {
      issue(name, "must be an array of strings", "invalid", value);
      continue;
    }
    // A webhook's paths start at its topic's resource; an external resource's paths are not checked (their root
    // depends on the call: an order, a line item, a shipment).
    const root = kind.type === "webhooks" && typeof topic === "string" ? topic.split(".")[0] : undefined;
    const invalid = value.filter(
      (path: string) =>
        !/^[a-z0-9_]+(\.[a-z0-9_]+)*$/.test(path) ||
        (root !== undefined && !checkIncludePath(root, path.split("."), context.relations)),
    );
    if (invalid.length > 0) issue(name, `is invalid: ${invalid.join(", ")}`, "invalid", invalid);
  }
  const metadata = attributes.metadata;
  if (metadata !== undefined && (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))) {
    issue("metadata", "is invalid", "invalid", metadata);
  }
  for (const text of ["name", "reference", "reference_origin"]) {
    const value = attributes[text];
    if (!blank(value) && typeof value !== "string") issue(text, "is invalid", "invalid", value);
  }
  if (kind.type === "shipping_methods" && !blank(attributes.scheme) && !SCHEMES.includes(String(attributes.scheme))) {
    issue("scheme", "is not included in the list", "inclusion", attributes.scheme);
  }
  return issues;
}
