// The webhooks the handlers file asks for: one per concrete topic (Commerce Layer's webhook has exactly one), each with
// the includes every handler that receives that topic declared. `resource.*` and `*` stand for the topics Commerce
// Layer's dashboard offers today (CURRENT_TOPICS); an exact key is taken as written.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CURRENT_TOPICS } from "../../shared/generated/topics.ts";
import { declaredIncludes } from "../../shared/webhooks/includes.ts";
import type { TopicHandler, WebhookHandlers } from "../../shared/webhooks/router.ts";
import { resourceOfTopic } from "../../shared/webhooks/topic.ts";
import { Fault } from "./faults.ts";

export interface DesiredWebhook {
  readonly topic: string;
  /** Sorted, without repeats; empty when no handler declared any. */
  readonly includeResources: readonly string[];
}

export interface Desired {
  readonly webhooks: readonly DesiredWebhook[];
  readonly warnings: readonly string[];
}

function handlersOf(registered: unknown): TopicHandler[] {
  if (typeof registered === "function") return [registered as TopicHandler];
  return Array.isArray(registered) ? (registered as TopicHandler[]) : [];
}

/** The topics a key stands for. */
function topicsOf(pattern: string): readonly string[] {
  if (pattern === "*") return CURRENT_TOPICS;
  if (pattern.endsWith(".*")) {
    const resource = pattern.slice(0, -2);
    return CURRENT_TOPICS.filter((topic) => resourceOfTopic(topic) === resource);
  }
  return [pattern];
}

export function desiredWebhooks(handlers: WebhookHandlers): Desired {
  const warnings: string[] = [];
  const includes = new Map<string, Set<string>>();
  for (const [pattern, registered] of Object.entries(handlers)) {
    const list = handlersOf(registered);
    if (list.length === 0) continue;
    const topics = topicsOf(pattern);
    if (pattern === "*") {
      warnings.push(
        `"*" means ${topics.length} webhooks, one per topic Commerce Layer offers, each with its own secret and deliveries: name the topics you handle instead`,
      );
    } else if (topics.length === 0) {
      warnings.push(`"${pattern}": no topic Commerce Layer offers today matches it, so no webhook is made for it`);
    }
    const declared = list.flatMap((handler) => declaredIncludes(handler));
    for (const topic of topics) {
      const set = includes.get(topic) ?? new Set<string>();
      for (const path of declared) set.add(path);
      includes.set(topic, set);
    }
  }
  const webhooks = [...includes]
    .map(([topic, paths]) => ({ topic, includeResources: [...paths].sort() }))
    .sort((a, b) => a.topic.localeCompare(b.topic));
  return { webhooks, warnings };
}

/** The handler map a handlers file exports (functions/handlers.ts, or the file --handlers names). */
export async function loadHandlers(file: string): Promise<WebhookHandlers> {
  let exported: { handlers?: unknown };
  try {
    exported = (await import(pathToFileURL(resolve(file)).href)) as { handlers?: unknown };
  } catch (error) {
    throw new Fault(`${file} does not load: ${(error as Error).message.split("\n")[0]}`);
  }
  if (typeof exported.handlers !== "object" || exported.handlers === null) {
    throw new Fault(`${file} exports no \`handlers\` map (export const handlers = defineWebhookHandlers({...}))`);
  }
  return exported.handlers as WebhookHandlers;
}
