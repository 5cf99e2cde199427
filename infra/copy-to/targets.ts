// Where each kind of project gets what: which factory, which folder it goes to, the handler file's path and shape,
// the URL Commerce Layer posts to, and whether the files are ES modules or CommonJS there.
import { posix } from "node:path";
import type { FactoryFolder } from "./copied-files.ts";
import type { Project } from "./detect.ts";
import type { ModuleSystem } from "./module-system.ts";

export interface HandlerShape {
  /** The factory function the file calls, e.g. createVercelWebhookHandler. */
  readonly create: string;
  /** The export the platform calls: `POST`, `handler`, `default`, ... */
  readonly exportName: string;
  /** Lines before the handler map (Next.js's runtime or body-parser config). */
  readonly preamble?: readonly string[];
  /** Lines after the export (Netlify's path config). */
  readonly postscript?: readonly string[];
}

export interface Target {
  readonly factory: FactoryFolder;
  /** The project folder the copied files go to. */
  readonly libDir: string;
  /** The copied files' module system: CommonJS (.cjs) where the project `require`s them as they are. */
  readonly flavour: ModuleSystem;
  /** How the files written here import and export: TypeScript always writes `import`, whatever it compiles to. */
  readonly syntax: ModuleSystem;
  /** The handler file, relative to the project. */
  readonly handlerFile: string;
  readonly shape: HandlerShape;
  readonly urlPath: string;
  /** Where the URLs of external resources start (`/api/external`, `/external`). */
  readonly externalBase: string;
  /** The environment example file the variables are added to. */
  readonly envExample: string;
}

export const NEXT_PATH = "/api/webhooks/commercelayer";
export const PLAIN_PATH = "/webhooks/commercelayer";

/** Where a file the handler file's folder imports as `../x` is named from it: `./x` when it is beside it. */
export function importPath(fromFile: string, toFile: string): string {
  const path = posix.relative(posix.dirname(fromFile), toFile);
  return path.startsWith(".") ? path : `./${path}`;
}

/**
 * How a TypeScript or JavaScript file is named where another file imports it: a .ts file by its .js name (NodeNext,
 * Next.js and esbuild all take it), a .mts by its .mjs, JavaScript as it is.
 */
export const importedName = (file: string) => file.replace(/\.ts$/, ".js").replace(/\.mts$/, ".mjs");

export function targetFor(project: Project, edge: boolean, envExample: string): Target {
  const ts = project.typescript;
  const src = project.usesSrc ? "src/" : "";
  const esm = { flavour: "esm", syntax: "esm" } as const;
  switch (project.kind) {
    case "nextjs-app":
      return {
        ...esm,
        factory: edge ? "edge" : "vercel",
        libDir: `${src}lib/commercelayer`,
        handlerFile: `${src}app/api/webhooks/commercelayer/route.${ts ? "ts" : "js"}`,
        shape: {
          create: edge ? "createEdgeWebhookHandler" : "createVercelWebhookHandler",
          exportName: "POST",
          preamble: edge ? ['export const runtime = "edge";'] : undefined,
        },
        urlPath: NEXT_PATH,
        externalBase: "/api/external",
        envExample,
      };
    case "nextjs-pages":
      return {
        ...esm,
        factory: "node",
        libDir: `${src}lib/commercelayer`,
        handlerFile: `${src}pages/api/webhooks/commercelayer.${ts ? "ts" : "js"}`,
        shape: {
          create: "createNodeWebhookHandler",
          exportName: "default",
          // Next.js must leave the body unread: the signature covers its exact bytes.
          preamble: ["export const config = { api: { bodyParser: false } };"],
        },
        urlPath: NEXT_PATH,
        externalBase: "/api/external",
        envExample,
      };
    case "vercel-api":
      return {
        ...esm,
        factory: "vercel",
        libDir: "lib/commercelayer",
        handlerFile: `api/webhooks/commercelayer.${ts ? "ts" : "mjs"}`,
        shape: { create: "createVercelWebhookHandler", exportName: "POST" },
        urlPath: NEXT_PATH,
        externalBase: "/api/external",
        envExample,
      };
    case "netlify":
      return {
        ...esm,
        factory: "netlify",
        // Outside the functions directory: Netlify would deploy a file there as a function of its own.
        libDir: "lib/commercelayer",
        handlerFile: `${project.functionsDir ?? "netlify/functions"}/commercelayer-webhook.${ts ? "mts" : "mjs"}`,
        shape: {
          create: "createNetlifyWebhookHandler",
          exportName: "default",
          postscript: [`export const config = { path: ${JSON.stringify(PLAIN_PATH)} };`],
        },
        urlPath: PLAIN_PATH,
        externalBase: "/external",
        envExample,
      };
    case "serverless": {
      // Lambda loads JavaScript only: a .ts handler works only where a plugin of the service bundles it (and bundles
      // the .mjs factory into whatever it emits). Otherwise a .js file in the service's own module system: `serverless
      // invoke local` requires the handler by its name with no extension, which finds a .js (or .cjs), never a .mjs.
      const bundled = project.bundlesTypeScript === true && ts;
      const system = bundled ? "esm" : project.moduleSystem;
      return {
        flavour: system,
        syntax: system,
        factory: "aws-lambda",
        libDir: "lib/commercelayer",
        handlerFile: bundled ? "src/commercelayer-webhook.ts" : "commercelayer-webhook.js",
        shape: { create: "createLambdaWebhookHandler", exportName: "handler" },
        urlPath: PLAIN_PATH,
        externalBase: "/external",
        envExample,
      };
    }
    case "express":
    case "node": {
      // A CommonJS app requires the handler file, and the handler file the factory: both CommonJS there. A .ts
      // file keeps `import`, which tsc or tsx turn into `require` in a CommonJS package. A JavaScript file is .js in
      // the package's own module system, else named for its own (a server.mjs in a CommonJS package gets an .mjs).
      const system = project.moduleSystem;
      const extension = ts ? "ts" : system === project.packageType ? "js" : system === "esm" ? "mjs" : "cjs";
      return {
        flavour: system,
        syntax: ts ? "esm" : system,
        factory: "node",
        // At the project's root, beside src/: a tsc build into dist/ does not copy the copied files, and `../lib`
        // resolves the same from src/ and from dist/.
        libDir: "lib/commercelayer",
        handlerFile: `${src}commercelayer-webhook.${extension}`,
        shape: { create: "createNodeWebhookHandler", exportName: "commercelayerWebhook" },
        urlPath: PLAIN_PATH,
        externalBase: "/external",
        envExample,
      };
    }
  }
}
