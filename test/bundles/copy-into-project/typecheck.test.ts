// The "copy one file into an existing project" path, per platform: the factory file and its declarations in a
// throwaway project, a handler file written as the README shows, type-checked by tsc in strict mode, then run.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it, vi } from "vitest";
import { lambdaEvent } from "../../../infra/drive/lambda-events.ts";
import { signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";
import {
  copyFactory,
  createUserProject,
  typeCheck,
  writeProjectFile,
  writeStrictTsconfig,
} from "../../support/user-project.ts";

const projects: string[] = [];
afterAll(() => {
  for (const project of projects) rmSync(project, { recursive: true, force: true });
});

// The user's own handlers: typed events, declared includes, a wildcard, and a typo that must be a type error.
const USER_HANDLERS = `{
  "orders.place": withIncludes(["line_items", "line_items.item"], async (event) => {
    const number: string | number | null | undefined = event.data.attributes.number;
    const status: "draft" | "pending" | "editing" | "placing" | "placed" | "approved" | "cancelled" | null | undefined = event.data.attributes.status;
    const quantities: (number | null | undefined)[] = event.relatedMany("line_items").map((item) => item.attributes.quantity);
    ran.push(\`orders.place \${String(number)} \${status} \${quantities.length}\`);
  }),
  "customers.*": (event) => {
    const email: string | null | undefined = event.data.attributes.email;
    ran.push(\`\${event.topic} \${email === undefined ? "no email" : "email"}\`);
  },
}`;

const TYPO_CHECK = `
// @ts-expect-error: a typo in a known resource's topic is a type error.
defineWebhookHandlers({ "orders.plase": () => {} });
// @ts-expect-error: the event of orders.place has no "email" attribute.
defineWebhookHandlers({ "orders.place": (event) => event.data.attributes.email });
// @ts-expect-error: a handler reads only the relationships it declared.
defineWebhookHandlers({ "orders.place": (event) => event.relatedMany("line_items") });
`;

function userHandlerRuns(): string[] {
  const store = globalThis as { userHandlerRuns?: string[] };
  store.userHandlerRuns ??= [];
  return store.userHandlerRuns;
}

/** Bundles the user's TypeScript entry (as their platform's build would) and imports it. */
async function compileAndImport<T>(project: string, entry: string): Promise<T> {
  const outfile = join(project, "out", `${entry.replace(/[/.]/g, "_")}.mjs`);
  await build({
    entryPoints: [join(project, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    logLevel: "silent",
  });
  return (await import(pathToFileURL(outfile).href)) as T;
}

function prepare(platform: "aws-lambda" | "vercel" | "netlify", nodeTypes: boolean): string {
  const project = createUserProject(platform);
  projects.push(project);
  writeStrictTsconfig(project, { nodeTypes });
  copyFactory(project, platform, "lib");
  // What the user's handlers did, kept on globalThis so the test can read it from outside their bundle.
  writeProjectFile(
    project,
    "lib/ran.ts",
    "const store = globalThis as { userHandlerRuns?: string[] };\nexport const ran: string[] = (store.userHandlerRuns ??= []);\n",
  );
  userHandlerRuns().length = 0;
  return project;
}

describe("copy the factory into your own project", () => {
  it("Next.js App Router route file (Vercel): types check, the user's handler runs, other topics are acknowledged", async () => {
    const project = prepare("vercel", true);
    // The pages-router route takes the `(req, res)` factory, which has a folder of its own (dist/factories/node/).
    copyFactory(project, "node", "lib/node");
    writeProjectFile(
      project,
      "app/api/webhooks/commercelayer/route.ts",
      `import { createVercelWebhookHandler, defineWebhookHandlers, withIncludes } from "../../../../lib/commercelayer-webhook-factory.mjs";
import { ran } from "../../../../lib/ran.js";
export const POST = createVercelWebhookHandler(${USER_HANDLERS});
${TYPO_CHECK}`,
    );
    writeProjectFile(
      project,
      "pages/api/webhooks/commercelayer.ts",
      `import { createNodeWebhookHandler, withIncludes } from "../../../lib/node/commercelayer-webhook-factory.mjs";
import { ran } from "../../../lib/ran.js";
export const config = { api: { bodyParser: false } };
export default createNodeWebhookHandler(${USER_HANDLERS});
`,
    );
    const checked = await typeCheck(project);
    expect(checked.output).toBe("");
    expect(checked.code).toBe(0);

    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", TEST_SECRET);
    vi.spyOn(console, "log").mockImplementation(() => {});
    const route = await compileAndImport<{ POST: (request: Request) => Promise<Response> }>(
      project,
      "app/api/webhooks/commercelayer/route.ts",
    );
    for (const topic of ["orders.place", "customers.create", "shipments.ship"]) {
      const delivery = signedDelivery(topic);
      const response = await route.POST(
        new Request("https://app.example/api/webhooks/commercelayer", {
          method: "POST",
          headers: delivery.headers,
          body: new Uint8Array(delivery.body),
        }),
      );
      expect(response.status).toBe(200);
      expect((await response.json()).outcome).toBe(topic === "shipments.ship" ? "ignored" : "handled");
    }
    expect(userHandlerRuns()).toEqual([
      expect.stringMatching(/^orders\.place \d+ placed 5$/),
      "customers.create email",
    ]);
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("AWS Lambda handler in a Serverless service: types check without @types/node or @types/aws-lambda, and it runs", async () => {
    const project = prepare("aws-lambda", false);
    writeProjectFile(
      project,
      "src/commercelayer.ts",
      `import { createLambdaWebhookHandler, defineWebhookHandlers, type LambdaHttpEvent, withIncludes } from "../lib/commercelayer-webhook-factory.mjs";
import { ran } from "../lib/ran.js";
export const handler = createLambdaWebhookHandler(${USER_HANDLERS});
export const events: LambdaHttpEvent[] = [];
${TYPO_CHECK}`,
    );
    const checked = await typeCheck(project);
    expect(checked.output).toBe("");

    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", TEST_SECRET);
    vi.spyOn(console, "log").mockImplementation(() => {});
    const module = await compileAndImport<{ handler: (event: unknown) => Promise<{ statusCode: number }> }>(
      project,
      "src/commercelayer.ts",
    );
    const delivery = signedDelivery("orders.place");
    const result = await module.handler(
      lambdaEvent("http-api-v2", { method: "POST", headers: delivery.headers, body: delivery.body }, true),
    );
    expect(result.statusCode).toBe(200);
    expect(userHandlerRuns()).toEqual([expect.stringMatching(/^orders\.place \d+ placed 5$/)]);
    const ignored = signedDelivery("parcels.create");
    expect(
      (
        await module.handler(
          lambdaEvent("http-api-v2", { method: "POST", headers: ignored.headers, body: ignored.body }, false),
        )
      ).statusCode,
    ).toBe(200);
    expect(userHandlerRuns()).toHaveLength(1);
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("Netlify function (v2) in a site's functions folder: types check without @netlify/functions, and it runs", async () => {
    const project = prepare("netlify", false);
    writeProjectFile(
      project,
      "netlify/functions/commercelayer-webhook.mts",
      `import { createNetlifyWebhookHandler, defineWebhookHandlers, withIncludes } from "../../lib/commercelayer-webhook-factory.mjs";
import { ran } from "../../lib/ran.js";
export default createNetlifyWebhookHandler(${USER_HANDLERS});
export const config = { path: "/webhooks/commercelayer" };
${TYPO_CHECK}`,
    );
    const checked = await typeCheck(project);
    expect(checked.output).toBe("");

    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", TEST_SECRET);
    vi.spyOn(console, "log").mockImplementation(() => {});
    const module = await compileAndImport<{ default: (request: Request, context: unknown) => Promise<Response> }>(
      project,
      "netlify/functions/commercelayer-webhook.mts",
    );
    const delivery = signedDelivery("customers.create");
    const response = await module.default(
      new Request("https://site.netlify.app/webhooks/commercelayer", {
        method: "POST",
        headers: delivery.headers,
        body: new Uint8Array(delivery.body),
      }),
      {},
    );
    expect(response.status).toBe(200);
    expect(userHandlerRuns()).toEqual(["customers.create email"]);
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("a type error in the user's handler file is reported by tsc (the check can fail)", async () => {
    const project = prepare("vercel", true);
    writeProjectFile(
      project,
      "route.ts",
      `import { createVercelWebhookHandler } from "./lib/commercelayer-webhook-factory.mjs";
export const POST = createVercelWebhookHandler({ "orders.plase": () => {} });
`,
    );
    const checked = await typeCheck(project);
    expect(checked.code).not.toBe(0);
    expect(checked.output).toContain("orders.plase");
  });
});
