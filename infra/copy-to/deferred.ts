// `--deferred`: the platform's queue file (commercelayer-webhook-queue, which exports `deferred` and `withHandOff`)
// and how the handler file hands deferred handlers off and where they run: AWS Lambda to SQS and a worker export,
// Netlify to a background function of its own, Vercel (and the Next.js pages router on Vercel) in `waitUntil`.
// A plain Node server has no platform queue: it is refused, with what to do instead.
import type { Project } from "./detect.ts";
import type { Target } from "./targets.ts";

export interface DeferredWiring {
  /** The dist/factories/ folder of the queue file. */
  readonly queueFolder: "aws-lambda" | "netlify" | "vercel";
  /** What the receiving file imports from the queue file, besides `deferred` and `withHandOff`. */
  readonly handOffImport: string;
  /** The hand-off, as the receiving file calls it (`handlers` is the map). */
  readonly handOff: string;
  /** The line above each deferred stub: where it runs and what a throw does there. */
  readonly note: string;
  /** AWS: the worker is a second export of the handler file. */
  readonly workerExport?: { readonly name: string; readonly create: string };
  /** Netlify: the worker is a function file of its own, and the map moves to a module both import. */
  readonly workerFile?: { readonly path: string; readonly create: string; readonly handlersFile: string };
}

export type DeferredChoice = { readonly wiring: DeferredWiring } | { readonly refused: string };

export function deferredWiringFor(project: Project, target: Target): DeferredChoice {
  switch (target.factory) {
    case "aws-lambda":
      return {
        wiring: {
          queueFolder: "aws-lambda",
          handOffImport: "createSqsHandOff",
          handOff: "createSqsHandOff()",
          note: "Deferred: runs after the 200, in the worker (SQS); a throw is retried, then goes to the dead-letter queue.",
          workerExport: { name: "worker", create: "createLambdaWebhookWorker" },
        },
      };
    case "netlify": {
      const extension = target.handlerFile.slice(target.handlerFile.lastIndexOf("."));
      return {
        wiring: {
          queueFolder: "netlify",
          handOffImport: "createBackgroundHandOff",
          handOff: "createBackgroundHandOff()",
          note: "Deferred: runs after the 200, in the background function; Netlify retries a throw twice.",
          workerFile: {
            // The name the hand-off posts to: the `-background` suffix makes it a background function.
            path: `${project.functionsDir ?? "netlify/functions"}/commercelayer-webhook-worker-background${extension}`,
            create: "createNetlifyWebhookWorker",
            handlersFile: `lib/commercelayer-webhook-handlers${extension}`,
          },
        },
      };
    }
    case "vercel":
    case "node":
      if (project.kind === "express" || project.kind === "node")
        return {
          refused:
            "--deferred: a Node server has no platform queue to hand deferred handlers to; run slow work from a queue of yours (withHandOff with a hand-off of yours: docs/deferred-and-duplicates.md), or drop --deferred",
        };
      return {
        wiring: {
          queueFolder: "vercel",
          handOffImport: "createWaitUntilHandOff",
          handOff: "createWaitUntilHandOff(handlers)",
          note: "Deferred: runs after the 200, in waitUntil (best effort: a throw or a stopped instance loses it).",
        },
      };
    case "edge":
      return {
        refused:
          "--deferred: the edge factory has no hand-off (waitUntil's needs Node); drop --edge for a Node.js route, or drop --deferred",
      };
  }
}
