// The document a delivery carries: the event's resource as the API shows it, and `included` when the webhook has
// `include_resources` (resolved from the resources the test seeded, dotted paths too), compact JSON.
import { compoundDocument, type DocumentContext } from "./documents.ts";
import type { StoredResource } from "./store.ts";

/** The paths of `include_resources`, or none. */
function includePaths(includeResources: unknown): string[][] {
  if (!Array.isArray(includeResources) || includeResources.length === 0) return [];
  return includeResources.filter((path): path is string => typeof path === "string").map((path) => path.split("."));
}

/**
 * The bytes of one delivery. A `.destroy` event carries only the id: every attribute and relationship is null (the
 * resource is gone).
 */
export function deliveryBody(
  subject: StoredResource,
  topic: string,
  includeResources: unknown,
  context: DocumentContext,
): Buffer {
  const document = compoundDocument(subject, includePaths(includeResources), context);
  if (topic.endsWith(".destroy") && document.data !== null && !Array.isArray(document.data)) {
    const data = document.data;
    data.attributes = Object.fromEntries(Object.keys(data.attributes).map((name) => [name, null]));
    data.relationships = Object.fromEntries(Object.keys(data.relationships).map((name) => [name, null]));
  }
  return Buffer.from(JSON.stringify(document));
}
