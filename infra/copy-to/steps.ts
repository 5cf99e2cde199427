// The steps the command prints after writing: what to paste where (an Express app's import and route, a Serverless
// service's functions), what to install and set, and how to try it. Each line names the exact thing to do.
import { EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import type { StoreEngine, StoreWiring } from "./deduplication.ts";
import type { DeferredWiring } from "./deferred.ts";
import type { Project } from "./detect.ts";
import type { ExternalWiring } from "./external-file.ts";
import { importLine } from "./module-system.ts";
import { externalFunction, topLevelEntries, webhookFunctions } from "./serverless.ts";
import { importedName, type Target } from "./targets.ts";

export interface StepsContext {
  readonly project: Project;
  readonly target: Target;
  /** Whether the webhook receiver is written (not with `--kind external`). */
  readonly webhooks: boolean;
  readonly deferred?: DeferredWiring;
  readonly store?: { readonly engine: StoreEngine; readonly wiring: StoreWiring };
  readonly external?: { readonly wiring: ExternalWiring; readonly kinds: readonly ExternalKind[] };
}

const indent = (lines: readonly string[]) => lines.map((line) => `  ${line}`);

/** How the user's own server file loads an export of a file written here, in its module syntax. */
function loadLine(target: Target, name: string, file: string): string {
  const from = `./${importedName(file).split("/").pop() ?? file}`;
  return importLine({ names: [name], from }, target.syntax);
}

function nodeServerSteps(context: StepsContext): string[] {
  const { project, target, webhooks, external } = context;
  const express = project.kind === "express";
  const steps: string[] = [];
  if (webhooks) {
    const load = loadLine(target, "commercelayerWebhook", target.handlerFile);
    steps.push(
      express ? `mount it before any JSON body parser: ${load}` : `call it from your server: ${load}`,
      express
        ? `  app.post("${target.urlPath}", commercelayerWebhook);`
        : `  if (req.method === "POST" && req.url === "${target.urlPath}") return commercelayerWebhook(req, res);`,
    );
  }
  if (external !== undefined) {
    const file = external.wiring.files[0]?.path ?? "";
    const load = loadLine(target, "commercelayerExternal", file);
    const paths = external.kinds.map(external.wiring.urlOf);
    steps.push(
      express ? `mount it too, before any JSON body parser: ${load}` : `call it from your server too: ${load}`,
      express
        ? `  app.post(${JSON.stringify(paths)}, commercelayerExternal);`
        : `  if (req.method === "POST" && req.url?.startsWith("${target.externalBase}/")) return commercelayerExternal(req, res);`,
    );
  }
  if (webhooks) steps.push("set COMMERCELAYER_WEBHOOK_SECRET in the server's environment");
  return steps;
}

function serverlessSteps(context: StepsContext): string[] {
  const { target, webhooks, deferred, store, external } = context;
  const moduleOf = (file: string) => file.replace(/\.(ts|mts|js|mjs|cjs)$/, "");
  const functions = [
    ...(webhooks ? webhookFunctions(moduleOf(target.handlerFile), deferred !== undefined) : []),
    ...(external === undefined
      ? []
      : externalFunction(moduleOf(external.wiring.files[0]?.path ?? ""), external.kinds, target.externalBase)),
  ];
  const topLevel = webhooks ? topLevelEntries(deferred !== undefined, store?.engine) : [];
  const several = functions.filter((line) => /^\S/.test(line)).length > 1;
  return [
    `add ${several ? "these functions" : "this function"} to serverless.yml (under \`functions:\`):`,
    ...indent(functions),
    ...(topLevel.length === 0
      ? []
      : ["and at the top level of serverless.yml (merge each key with yours):", ...indent(topLevel)]),
    ...(deferred === undefined
      ? []
      : [
          "locally, the hand-off imports @aws-sdk/client-sqs (the Lambda runtime has it): npm install -D @aws-sdk/client-sqs, and set COMMERCELAYER_WEBHOOK_QUEUE_URL",
        ]),
    `then ${webhooks ? "COMMERCELAYER_WEBHOOK_SECRET=... " : ""}npx serverless@3 deploy`,
  ];
}

export function nextSteps(context: StepsContext): string[] {
  const { project, target, webhooks, deferred, store, external } = context;
  const base: string[] = (() => {
    switch (project.kind) {
      case "nextjs-app":
      case "nextjs-pages":
        return [
          "set COMMERCELAYER_WEBHOOK_SECRET in .env.local, and in the Vercel project's environment variables",
          `next dev, then from the template: npm run send -- orders.place --url http://localhost:3000${target.urlPath}`,
        ];
      case "vercel-api":
        return [
          "vercel env add COMMERCELAYER_WEBHOOK_SECRET, then vercel deploy",
          `locally: vercel dev, then from the template: npm run send -- orders.place --url http://localhost:3000${target.urlPath}`,
        ];
      case "netlify":
        return [
          "netlify env:set COMMERCELAYER_WEBHOOK_SECRET <secret>, then netlify deploy --build",
          `locally: netlify dev, then from the template: npm run send -- orders.place --url http://localhost:8888${target.urlPath}`,
        ];
      case "serverless":
        return serverlessSteps(context);
      case "express":
      case "node":
        return nodeServerSteps(context);
    }
  })();
  const steps =
    webhooks || project.kind === "serverless" || project.kind === "express" || project.kind === "node" ? base : [];
  if (deferred?.queueFolder === "vercel")
    steps.push(
      "npm install @vercel/functions: the queue file's waitUntil keeps the function alive for deferred handlers",
    );
  if (deferred?.workerFile !== undefined)
    steps.push(
      `${deferred.workerFile.path} is the background function the hand-off posts to: deploy it with the others`,
    );
  if (store !== undefined) steps.push(...store.wiring.steps);
  if (external !== undefined) {
    const secrets = [...new Set(external.kinds.map((kind) => EXTERNAL_KINDS[kind].secretEnv))];
    steps.push(
      `set ${secrets.join(", ")} where the function runs, then paste each URL above into the attribute it names (docs/external-resources.md)`,
    );
  }
  return steps;
}
