// Everything one run writes, before anything is written: the copied files (the webhook factory, with --deferred the
// queue file, with --deduplicate the store, with --external the external-resource factory), the user's files (handler
// file, worker, external routes) and the environment example's variables; and what to print after.
import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import { EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { type CopiedModule, codeExtension, copiedFiles } from "./copied-files.ts";
import { type StoreEngine, type StoreWiring, storeWiringFor } from "./deduplication.ts";
import { type DeferredWiring, deferredWiringFor } from "./deferred.ts";
import type { Project } from "./detect.ts";
import { type ExternalWiring, externalFiles, externalWiringFor } from "./external-file.ts";
import { webhookFiles } from "./handler-file.ts";
import { runtimeWarnings } from "./serverless.ts";
import { nextSteps } from "./steps.ts";
import { type Target, targetFor } from "./targets.ts";
import { renderUserFile, type UserFile } from "./user-file.ts";

export const SECRET_ENV = "COMMERCELAYER_WEBHOOK_SECRET";

export interface EnvVariable {
  readonly name: string;
  readonly comment: string;
}

export interface PlannedFile {
  readonly path: string;
  readonly content: string;
  /** copied: ours, updated on every run; yours: the user's once written; env: lines added to an example file. */
  readonly role: "copied" | "yours" | "env";
  /** A file of the user's: what it holds, for a re-run's report of the keys it did not add. */
  readonly userFile?: UserFile;
}

export interface CopyOptions {
  readonly webhooks: boolean;
  readonly topics: readonly string[];
  readonly edge: boolean;
  readonly deferred: boolean;
  readonly deduplicate?: string;
  readonly external?: readonly ExternalKind[];
}

export interface Plan {
  readonly target: Target;
  readonly files: readonly PlannedFile[];
  /** What each URL is for: `POST <path>` and what it serves. */
  readonly urls: readonly { readonly path: string; readonly what: string }[];
  readonly variables: readonly EnvVariable[];
  readonly steps: readonly string[];
  readonly warnings: readonly string[];
}

export type Planned = { readonly plan: Plan } | { readonly refused: string };

function envExampleOf(project: Project): string {
  const next = project.kind === "nextjs-app" || project.kind === "nextjs-pages";
  if (next && existsSync(join(project.dir, ".env.local.example"))) return ".env.local.example";
  return ".env.example";
}

/** The variables the example file does not have yet, as lines to append; empty when it has them all. */
function envLines(project: Project, file: string, variables: readonly EnvVariable[]): string {
  const path = join(project.dir, file);
  const current = existsSync(path) ? readFileSync(path, "utf8") : "";
  return variables
    .filter(({ name }) => !new RegExp(`^\\s*${name}=`, "m").test(current))
    .map(({ name, comment }) => `# ${comment}\n${name}=\n`)
    .join("");
}

export async function planCopy(project: Project, options: CopyOptions, origin: string): Promise<Planned> {
  const target = targetFor(project, options.edge, envExampleOf(project));
  const { libDir, flavour } = target;
  const codeOf = (name: string) => posix.join(libDir, `${name}${codeExtension(flavour)}`);

  let deferred: DeferredWiring | undefined;
  if (options.deferred) {
    const choice = deferredWiringFor(project, target);
    if ("refused" in choice) return choice;
    deferred = choice.wiring;
  }
  let store: { engine: StoreEngine; wiring: StoreWiring } | undefined;
  if (options.deduplicate !== undefined) {
    const choice = storeWiringFor(options.deduplicate, project, target);
    if ("refused" in choice) return choice;
    store = { engine: options.deduplicate as StoreEngine, wiring: choice.wiring };
  }
  let external: { wiring: ExternalWiring; kinds: readonly ExternalKind[] } | undefined;
  if (options.external !== undefined)
    external = { wiring: externalWiringFor(project, target, options.external), kinds: options.external };

  const modules: CopiedModule[] = [
    ...(options.webhooks ? [{ folder: target.factory, name: "commercelayer-webhook-factory" }] : []),
    ...(deferred === undefined ? [] : [{ folder: deferred.queueFolder, name: "commercelayer-webhook-queue" }]),
    ...(store === undefined ? [] : [store.wiring.module]),
    ...(external === undefined ? [] : [{ folder: external.wiring.factory, name: "commercelayer-external-factory" }]),
  ];
  const copied = (await Promise.all(modules.map((module) => copiedFiles(module, flavour, libDir, origin)))).flat();

  const userFiles: UserFile[] = [
    ...(options.webhooks
      ? webhookFiles({
          target,
          topics: options.topics,
          origin,
          factoryFile: codeOf("commercelayer-webhook-factory"),
          deferred:
            deferred === undefined ? undefined : { wiring: deferred, queueFile: codeOf("commercelayer-webhook-queue") },
          deduplicate:
            store === undefined
              ? undefined
              : {
                  engine: store.engine,
                  file: codeOf(store.wiring.module.name),
                  create: store.wiring.create,
                  store: store.wiring.store,
                },
        })
      : []),
    ...(external === undefined
      ? []
      : externalFiles({
          wiring: external.wiring,
          target,
          origin,
          factoryFile: codeOf("commercelayer-external-factory"),
        })),
  ];

  const variables: EnvVariable[] = [
    ...(options.webhooks
      ? [
          {
            name: SECRET_ENV,
            comment: "The Commerce Layer webhook's shared secret (several: comma-separated, for a rotation)",
          },
        ]
      : []),
    ...(store?.wiring.env ?? []),
    ...[...new Set((external?.kinds ?? []).map((kind) => EXTERNAL_KINDS[kind].secretEnv))].map((name) => ({
      name,
      comment: `The shared secret of the Commerce Layer resource that calls ${(external?.kinds ?? [])
        .filter((kind) => EXTERNAL_KINDS[kind].secretEnv === name)
        .join(", ")} (several: comma-separated)`,
    })),
  ];

  const files: PlannedFile[] = [
    ...copied.map((file) => ({ ...file, role: "copied" as const })),
    ...userFiles.map((file) => ({
      path: file.path,
      content: renderUserFile(file),
      role: "yours" as const,
      userFile: file,
    })),
    { path: target.envExample, content: envLines(project, target.envExample, variables), role: "env" },
  ];

  const urls = [
    ...(options.webhooks ? [{ path: target.urlPath, what: "Commerce Layer webhooks" }] : []),
    ...(external?.kinds ?? []).map((kind) => ({
      path: external?.wiring.urlOf(kind) ?? "",
      what: `${kind}: the ${EXTERNAL_KINDS[kind].urlAttribute} of ${EXTERNAL_KINDS[kind].holder}`,
    })),
  ];
  return {
    plan: {
      target,
      files,
      urls,
      variables,
      steps: nextSteps({ project, target, webhooks: options.webhooks, deferred, store, external }),
      warnings: project.kind === "serverless" ? runtimeWarnings(project) : [],
    },
  };
}
