// Where each kind of project gets what: which factory, which folder it goes to, the handler file's path and shape,
// the URL Commerce Layer posts to, and the next step to tell the user.
import { posix } from "node:path";
import type { Project } from "./detect.ts";
import type { HandlerFileShape } from "./handler-file.ts";

export interface Target {
  /** The factory folder under dist/factories/ (vercel, node, aws-lambda, netlify, edge). */
  readonly factory: string;
  /** The project folder the factory and its declarations go to. */
  readonly libDir: string;
  /** The handler file, relative to the project. */
  readonly handlerFile: string;
  readonly shape: HandlerFileShape;
  readonly urlPath: string;
  /** The environment example file the secret variable is added to. */
  readonly envExample: string;
  readonly nextSteps: readonly string[];
}

const NEXT_PATH = "/api/webhooks/commercelayer";
const PLAIN_PATH = "/webhooks/commercelayer";

const exportConst = (name: string) => (call: string) => `export const ${name} = ${call};`;
const exportDefault = (call: string) => `export default ${call};`;

export function targetFor(project: Project, edge: boolean, envExample: string): Target {
  const ts = project.typescript;
  const src = project.usesSrc ? "src/" : "";
  switch (project.kind) {
    case "nextjs-app":
      return {
        factory: edge ? "edge" : "vercel",
        libDir: `${src}lib/commercelayer`,
        handlerFile: `${src}app/api/webhooks/commercelayer/route.${ts ? "ts" : "js"}`,
        shape: {
          create: edge ? "createEdgeWebhookHandler" : "createVercelWebhookHandler",
          exportLine: exportConst("POST"),
          preamble: edge ? ['export const runtime = "edge";'] : undefined,
        },
        urlPath: NEXT_PATH,
        envExample,
        nextSteps: [
          "set COMMERCELAYER_WEBHOOK_SECRET in .env.local, and in the Vercel project's environment variables",
          "next dev, then from the template: npm run send -- orders.place --url http://localhost:3000/api/webhooks/commercelayer",
        ],
      };
    case "nextjs-pages":
      return {
        factory: "node",
        libDir: `${src}lib/commercelayer`,
        handlerFile: `${src}pages/api/webhooks/commercelayer.${ts ? "ts" : "js"}`,
        shape: {
          create: "createNodeWebhookHandler",
          exportLine: exportDefault,
          // Next.js must leave the body unread: the signature covers its exact bytes.
          preamble: ["export const config = { api: { bodyParser: false } };"],
        },
        urlPath: NEXT_PATH,
        envExample,
        nextSteps: [
          "set COMMERCELAYER_WEBHOOK_SECRET in .env.local, and in the Vercel project's environment variables",
          "next dev, then from the template: npm run send -- orders.place --url http://localhost:3000/api/webhooks/commercelayer",
        ],
      };
    case "vercel-api":
      return {
        factory: "vercel",
        libDir: "lib/commercelayer",
        handlerFile: `api/webhooks/commercelayer.${ts ? "ts" : "mjs"}`,
        shape: { create: "createVercelWebhookHandler", exportLine: exportConst("POST") },
        urlPath: NEXT_PATH,
        envExample,
        nextSteps: [
          "vercel env add COMMERCELAYER_WEBHOOK_SECRET, then vercel deploy",
          "locally: vercel dev, then from the template: npm run send -- orders.place --url http://localhost:3000/api/webhooks/commercelayer",
        ],
      };
    case "netlify":
      return {
        factory: "netlify",
        // Outside the functions directory: Netlify would deploy a file there as a function of its own.
        libDir: "lib/commercelayer",
        handlerFile: `${project.functionsDir ?? "netlify/functions"}/commercelayer-webhook.${ts ? "mts" : "mjs"}`,
        shape: {
          create: "createNetlifyWebhookHandler",
          exportLine: exportDefault,
          postscript: [`export const config = { path: ${JSON.stringify(PLAIN_PATH)} };`],
        },
        urlPath: PLAIN_PATH,
        envExample,
        nextSteps: [
          "netlify env:set COMMERCELAYER_WEBHOOK_SECRET <secret>, then netlify deploy --build",
          "locally: netlify dev, then from the template: npm run send -- orders.place --url http://localhost:8888/webhooks/commercelayer",
        ],
      };
    case "serverless": {
      // Lambda loads JavaScript only: a .ts handler works only where a plugin of the service bundles it.
      const handlerFile =
        project.bundlesTypeScript && ts ? "src/commercelayer-webhook.ts" : "commercelayer-webhook.mjs";
      const module = handlerFile.replace(/\.(ts|mjs)$/, "");
      return {
        factory: "aws-lambda",
        libDir: "lib/commercelayer",
        handlerFile,
        shape: { create: "createLambdaWebhookHandler", exportLine: exportConst("handler") },
        urlPath: PLAIN_PATH,
        envExample,
        nextSteps: [
          "add this function to serverless.yml (under `functions:`):",
          "  commercelayer-webhook:",
          `    handler: ${module}.handler`,
          "    events:",
          `      - httpApi: { method: POST, path: ${PLAIN_PATH} }`,
          "    environment:",
          // Serverless's own variable syntax, not a template placeholder.
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a serverless.yml line, printed as it is
          "      COMMERCELAYER_WEBHOOK_SECRET: ${env:COMMERCELAYER_WEBHOOK_SECRET, ''}",
          "then COMMERCELAYER_WEBHOOK_SECRET=... npx serverless@3 deploy (runtime nodejs22.x or later)",
        ],
      };
    }
    case "express":
    case "node": {
      const handlerFile = `${src}commercelayer-webhook.${ts ? "ts" : "mjs"}`;
      const from = `./${posix.basename(handlerFile).replace(/\.ts$/, ".js")}`;
      return {
        factory: "node",
        // At the project's root, beside src/: a tsc build into dist/ does not copy the .mjs, and `../lib` resolves
        // the same from src/ and from dist/.
        libDir: "lib/commercelayer",
        handlerFile,
        shape: { create: "createNodeWebhookHandler", exportLine: exportConst("commercelayerWebhook") },
        urlPath: PLAIN_PATH,
        envExample,
        nextSteps:
          project.kind === "express"
            ? [
                `mount it before any JSON body parser: import { commercelayerWebhook } from "${from}";`,
                `  app.post("${PLAIN_PATH}", commercelayerWebhook);`,
                "set COMMERCELAYER_WEBHOOK_SECRET in the server's environment",
              ]
            : [
                `call it from your server: import { commercelayerWebhook } from "${from}";`,
                `  if (req.method === "POST" && req.url === "${PLAIN_PATH}") return commercelayerWebhook(req, res);`,
                "set COMMERCELAYER_WEBHOOK_SECRET in the server's environment",
              ],
      };
    }
  }
}
