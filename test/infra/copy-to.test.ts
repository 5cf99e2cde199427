// `npm run copy-to` as a person runs it, on project folders laid out as each kind's tools lay them out: what it
// detects, what it writes where (ES modules or CommonJS, as the project is), what a re-run changes (the copied files)
// and never changes (the user's files, whose missing topics it reports), what --deferred, --deduplicate, --external,
// --dry-run and --force do, what it warns about and what it refuses; and that what it writes loads in Node and
// type-checks with tsc. The real projects' own builds and servers: test/emulators/copy-to/.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/bundles.ts";

const run = promisify(execFile);
const FACTORY = "commercelayer-webhook-factory";
const folders: string[] = [];

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A project folder with these files (path -> content), inside the repository: its node_modules resolve from there. */
function project(files: Readonly<Record<string, string | undefined>>): string {
  mkdirSync(join(ROOT, ".test-build"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, ".test-build", "copy-to-"));
  folders.push(dir);
  for (const [path, content] of Object.entries(files)) {
    if (content === undefined) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

async function copyTo(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "infra/copy-to/copy-to.ts", ...args], {
      cwd: ROOT,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Runs `script` in a fresh Node with require(esm) off, as Node 20 before 20.19 and 22 before 22.12 are. */
async function node(script: string, cwd: string): Promise<string> {
  const { stdout } = await run(process.execPath, ["--no-experimental-require-module", "-e", script], { cwd });
  return stdout.trim();
}

/** What `require(file)` exports, by name and type, in a CommonJS script. */
const required = (dir: string, file: string) =>
  node(
    `const m = require(${JSON.stringify(join(dir, file))}); console.log(Object.keys(m).sort().map((k) => k + ":" + typeof m[k]).join(","))`,
    dir,
  );

/** What `import(file)` exports, likewise. */
const imported = (dir: string, file: string) =>
  node(
    `import(${JSON.stringify(pathToFileURL(join(dir, file)).href)}).then((m) => console.log(Object.keys(m).sort().map((k) => k + ":" + typeof m[k]).join(",")))`,
    dir,
  );

const tsc = (dir: string) =>
  run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir]).then(
    () => "",
    (error: { stdout: string }) => error.stdout,
  );

/** A strict tsconfig for `module` (NodeNext, or CommonJS as an older Express app has it), with Node's types. */
const tsconfig = (module: "NodeNext" | "CommonJS", include: string[]) =>
  JSON.stringify({
    compilerOptions: {
      strict: true,
      module,
      moduleResolution: module === "NodeNext" ? "NodeNext" : "Node10",
      target: "ES2022",
      noEmit: true,
      skipLibCheck: false,
      esModuleInterop: true,
      typeRoots: [join(ROOT, "node_modules/@types")],
      types: ["node"],
    },
    include,
  });

// One run first, alone: when dist/ is older than the sources it builds it, once, before the runs below share it.
beforeAll(async () => {
  const first = await copyTo([project({ "package.json": "{}", "vercel.json": "{}" }), "--dry-run"]);
  if (first.code !== 0) throw new Error(`copy-to failed:\n${first.stdout}${first.stderr}`);
}, 300_000);

const read = (dir: string, path: string) => readFileSync(join(dir, path), "utf8");
const NEXT = JSON.stringify({ dependencies: { next: "16.4.6", react: "19.3.1" } });
const EXPRESS_CJS = JSON.stringify({
  name: "shop",
  version: "1.0.0",
  type: "commonjs",
  dependencies: { express: "5" },
});
const EXPRESS_ESM = JSON.stringify({ type: "module", dependencies: { express: "5" } });
const SERVICE_YML = "service: shop\nprovider:\n  name: aws\n  runtime: nodejs22.x\n";

describe.concurrent.each([
  {
    kind: "Next.js App Router",
    files: { "package.json": NEXT, "tsconfig.json": "{}", "app/page.tsx": "" },
    factory: "vercel",
    lib: "lib/commercelayer",
    handler: "app/api/webhooks/commercelayer/route.ts",
    exported: /export const POST = createVercelWebhookHandler\(handlers\);/,
    url: "POST /api/webhooks/commercelayer",
  },
  {
    kind: "Next.js App Router under src/, an edge route",
    args: ["--edge"],
    files: { "package.json": NEXT, "tsconfig.json": "{}", "src/app/page.tsx": "" },
    factory: "edge",
    lib: "src/lib/commercelayer",
    handler: "src/app/api/webhooks/commercelayer/route.ts",
    exported: /export const runtime = "edge";[\s\S]*export const POST = createEdgeWebhookHandler\(handlers\);/,
    url: "POST /api/webhooks/commercelayer",
  },
  {
    kind: "Next.js pages router, JavaScript",
    files: { "package.json": NEXT, "pages/index.js": "" },
    factory: "node",
    lib: "lib/commercelayer",
    handler: "pages/api/webhooks/commercelayer.js",
    exported: /export const config = \{ api: \{ bodyParser: false \} \};[\s\S]*export default createNodeWebhookHandler/,
    url: "POST /api/webhooks/commercelayer",
  },
  {
    kind: "Vercel api/ project",
    files: { "package.json": "{}", "vercel.json": "{}", "tsconfig.json": "{}" },
    factory: "vercel",
    lib: "lib/commercelayer",
    handler: "api/webhooks/commercelayer.ts",
    exported: /export const POST = createVercelWebhookHandler/,
    url: "POST /api/webhooks/commercelayer",
  },
  {
    kind: "Netlify site with its own functions directory",
    files: {
      "package.json": "{}",
      "netlify.toml": '[build]\n  publish = "public"\n[functions]\n  directory = "fns/"\n',
    },
    factory: "netlify",
    lib: "lib/commercelayer",
    handler: "fns/commercelayer-webhook.mjs",
    exported:
      /export default createNetlifyWebhookHandler[\s\S]*export const config = \{ path: "\/webhooks\/commercelayer" \};/,
    url: "POST /webhooks/commercelayer",
  },
  {
    kind: "Serverless service, ES modules (no bundling plugin: a .js handler `serverless invoke local` finds)",
    files: { "package.json": '{"type":"module"}', "tsconfig.json": "{}", "serverless.yml": SERVICE_YML },
    factory: "aws-lambda",
    lib: "lib/commercelayer",
    handler: "commercelayer-webhook.js",
    exported: /^export const handler = createLambdaWebhookHandler/m,
    url: "POST /webhooks/commercelayer",
    printed:
      /handler: commercelayer-webhook\.handler[\s\S]*httpApi: \{ method: POST, path: \/webhooks\/commercelayer \}/,
  },
  {
    kind: "Serverless service, CommonJS (no type in package.json)",
    files: { "package.json": "{}", "serverless.yml": SERVICE_YML },
    factory: "aws-lambda",
    lib: "lib/commercelayer",
    handler: "commercelayer-webhook.js",
    commonJs: true,
    exported: /^exports\.handler = createLambdaWebhookHandler\(handlers\);/m,
    url: "POST /webhooks/commercelayer",
    printed: /handler: commercelayer-webhook\.handler/,
  },
  {
    kind: "Serverless service with serverless-esbuild",
    files: {
      "package.json": "{}",
      "tsconfig.json": "{}",
      "serverless.yml": "service: shop\nprovider:\n  runtime: nodejs22.x\nplugins:\n  - serverless-esbuild\n",
    },
    factory: "aws-lambda",
    lib: "lib/commercelayer",
    handler: "src/commercelayer-webhook.ts",
    exported: /export const handler = createLambdaWebhookHandler/,
    url: "POST /webhooks/commercelayer",
    printed: /handler: src\/commercelayer-webhook\.handler/,
  },
  {
    kind: "Express app under src/, CommonJS (npm init's package.json)",
    files: { "package.json": EXPRESS_CJS, "src/server.js": "" },
    factory: "node",
    lib: "lib/commercelayer",
    handler: "src/commercelayer-webhook.js",
    commonJs: true,
    exported: /^exports\.commercelayerWebhook = createNodeWebhookHandler\(handlers\);/m,
    url: "POST /webhooks/commercelayer",
    printed:
      /const \{ commercelayerWebhook \} = require\("\.\/commercelayer-webhook\.js"\);\n\s+app\.post\("\/webhooks\/commercelayer", commercelayerWebhook\)/,
  },
  {
    kind: "Express app, ES modules",
    files: { "package.json": EXPRESS_ESM },
    factory: "node",
    lib: "lib/commercelayer",
    handler: "commercelayer-webhook.js",
    exported: /^export const commercelayerWebhook = createNodeWebhookHandler\(handlers\);/m,
    url: "POST /webhooks/commercelayer",
    printed: /import \{ commercelayerWebhook \} from "\.\/commercelayer-webhook\.js";/,
  },
])("$kind", (spec) => {
  it("writes the factory with its declarations, the handler file with a stub per topic, and the secret's variable", async () => {
    const dir = project(spec.files);
    const result = await copyTo([dir, "--topics", "orders.place,customers.create", ...(spec.args ?? [])]);
    expect(result.code, result.stderr).toBe(0);
    const [code, types] = spec.commonJs ? [".cjs", ".d.cts"] : [".mjs", ".d.mts"];
    const built = readFileSync(join(ROOT, "dist/factories", spec.factory, `${FACTORY}.mjs`), "utf8");
    const copied = read(dir, `${spec.lib}/${FACTORY}${code}`);
    expect(copied).toMatch(/^\/\/ Copied by `npm run copy-to` from commercelayer-webhooks-serverless \d+\.\d+\.\d+/);
    if (spec.commonJs) expect(copied).toContain("module.exports = __toCommonJS(");
    else expect(copied.slice(copied.indexOf("\n") + 1)).toBe(built);
    expect(existsSync(join(dir, `${spec.lib}/${FACTORY}${types}`))).toBe(true);
    expect(existsSync(join(dir, `${spec.lib}/${FACTORY}${spec.commonJs ? ".mjs" : ".cjs"}`))).toBe(false);
    const handler = read(dir, spec.handler);
    expect(handler).toMatch(spec.exported);
    expect(handler).toContain('"orders.place": async (event) => {');
    expect(handler).toContain('"customers.create": async (event) => {');
    const from = /(?:from |require\()"([^"]+)"/.exec(handler)?.[1] ?? "";
    expect(from.endsWith(code) || from.endsWith(".mjs"), from).toBe(true);
    expect(existsSync(join(dir, dirname(spec.handler), from)), from).toBe(true);
    expect(read(dir, ".env.example")).toMatch(/^COMMERCELAYER_WEBHOOK_SECRET=$/m);
    expect(result.stdout).toContain(spec.url);
    expect(result.stdout).toContain("COMMERCELAYER_WEBHOOK_SECRET");
    if (spec.printed) expect(result.stdout).toMatch(spec.printed);
  });
});

describe.concurrent("CommonJS or ES modules: what is written loads where the project loads it", () => {
  it("a CommonJS Express app: the handler file and the .cjs factory load with require, with no require(esm)", async () => {
    const dir = project({ "package.json": EXPRESS_CJS });
    const result = await copyTo([dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(": Express app, CommonJS\n");
    expect(await required(dir, "commercelayer-webhook.js")).toBe("commercelayerWebhook:function");
    // The conversion keeps every export of the built file.
    const esm = await imported(ROOT, `dist/factories/node/${FACTORY}.mjs`);
    expect(await required(dir, `lib/commercelayer/${FACTORY}.cjs`)).toBe(esm);
  });

  it("an Express app with no package.json type: CommonJS too, as Node reads it", async () => {
    const dir = project({ "package.json": JSON.stringify({ dependencies: { express: "5" } }) });
    expect((await copyTo([dir])).code).toBe(0);
    expect(read(dir, "commercelayer-webhook.js")).toContain("require(");
    expect(await required(dir, "commercelayer-webhook.js")).toBe("commercelayerWebhook:function");
  });

  it("a server.mjs in a package with no type: ES modules, as the server is (an .mjs handler file and an import)", async () => {
    const dir = project({ "package.json": '{"name":"hooks"}', "server.mjs": "" });
    const result = await copyTo([dir, "--as", "node"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('import { commercelayerWebhook } from "./commercelayer-webhook.mjs";');
    expect(await imported(dir, "commercelayer-webhook.mjs")).toBe("commercelayerWebhook:function");
    expect(existsSync(join(dir, `lib/commercelayer/${FACTORY}.mjs`))).toBe(true);
  });

  it("an ES-module Express app: the handler file imports the .mjs factory and loads with import", async () => {
    const dir = project({ "package.json": EXPRESS_ESM });
    const result = await copyTo([dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(": Express app\n");
    expect(await imported(dir, "commercelayer-webhook.js")).toBe("commercelayerWebhook:function");
  });

  it("a CommonJS TypeScript Express app: the .ts handler imports the .cjs factory, and tsc (module CommonJS) accepts it", async () => {
    const dir = project({ "package.json": EXPRESS_CJS, "tsconfig.json": tsconfig("CommonJS", ["*.ts"]) });
    const result = await copyTo([dir, "--external", "tax-calculator", "--deduplicate", "memory"]);
    expect(result.code, result.stderr).toBe(0);
    expect(read(dir, "commercelayer-webhook.ts")).toContain(
      'from "./lib/commercelayer/commercelayer-webhook-factory.cjs";',
    );
    expect(existsSync(join(dir, "lib/commercelayer/memory-deduplication-store.d.cts"))).toBe(true);
    expect(result.stdout).toContain('import { commercelayerWebhook } from "./commercelayer-webhook.js";');
    expect(await tsc(dir)).toBe("");
  });

  it("a CommonJS Serverless service: the handler requires .cjs copies and serverless's require finds it", async () => {
    const dir = project({ "package.json": "{}", "serverless.yml": SERVICE_YML });
    const result = await copyTo([dir, "--deferred", "--deduplicate", "dynamodb"]);
    expect(result.code, result.stderr).toBe(0);
    // `serverless invoke local` requires `<service>/commercelayer-webhook`, with no extension.
    expect(await required(dir, "commercelayer-webhook")).toBe("handler:function,worker:function");
  });
});

describe.concurrent("running it again, --dry-run and --force", () => {
  const express = { "package.json": EXPRESS_CJS };

  it("a re-run updates the factory files and never touches the handler file or the variable already there", async () => {
    const dir = project(express);
    expect((await copyTo([dir])).code).toBe(0);
    const mine = `${read(dir, "commercelayer-webhook.js")}\n// my own code\n`;
    writeFileSync(join(dir, "commercelayer-webhook.js"), mine);
    writeFileSync(
      join(dir, `lib/commercelayer/${FACTORY}.cjs`),
      `${read(dir, `lib/commercelayer/${FACTORY}.cjs`)}//old\n`,
    );
    const again = await copyTo([dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/update\s+lib\/commercelayer\/commercelayer-webhook-factory\.cjs/);
    expect(again.stdout).toMatch(/unchanged\s+lib\/commercelayer\/commercelayer-webhook-factory\.d\.cts/);
    expect(again.stdout).toMatch(/keep\s+commercelayer-webhook\.js/);
    expect(again.stdout).not.toContain("not added");
    expect(read(dir, "commercelayer-webhook.js")).toBe(mine);
    expect(read(dir, `lib/commercelayer/${FACTORY}.cjs`)).not.toContain("//old");
    expect(read(dir, ".env.example").match(/COMMERCELAYER_WEBHOOK_SECRET=/g)).toHaveLength(1);
  });

  it("a re-run with other topics says which it did not add to the kept handler file, with the stub lines to paste", async () => {
    const dir = project(express);
    expect((await copyTo([dir, "--topics", "orders.place"])).code).toBe(0);
    // The user's formatter turned the quotes to single ones: the topic is still there.
    writeFileSync(join(dir, "commercelayer-webhook.js"), read(dir, "commercelayer-webhook.js").replaceAll('"', "'"));
    const before = read(dir, "commercelayer-webhook.js");
    const again = await copyTo([dir, "--topics", "orders.place,shipments.ship,customers.*"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(
      "not added: topics shipments.ship, customers.*: commercelayer-webhook.js is yours and was left as it is; paste into its defineWebhookHandlers({ ... }):",
    );
    expect(again.stdout).toContain('  "shipments.ship": async (event) => {');
    expect(again.stdout).toContain('  "customers.*": async (event) => {');
    expect(again.stdout).not.toMatch(/not added: topics [^\n]*orders\.place/);
    expect(read(dir, "commercelayer-webhook.js")).toBe(before);
    // The pasted lines make a file that loads and has the topics.
    const stub = again.stdout.slice(again.stdout.indexOf('  "shipments.ship"'), again.stdout.indexOf("\n\nURL"));
    writeFileSync(join(dir, "commercelayer-webhook.js"), before.replace("});\n", `${stub}\n});\n`));
    expect(await required(dir, "commercelayer-webhook.js")).toBe("commercelayerWebhook:function");
    const third = await copyTo([dir, "--topics", "orders.place,shipments.ship,customers.*"]);
    expect(third.stdout).not.toContain("not added");
  });

  it("a re-run with --deduplicate or --deferred on a kept handler file says it is not wired, with the lines to add", async () => {
    const dir = project({ "package.json": "{}", "serverless.yml": SERVICE_YML });
    expect((await copyTo([dir])).code).toBe(0);
    const again = await copyTo([dir, "--deduplicate", "memory", "--deferred"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/write\s+lib\/commercelayer\/memory-deduplication-store\.cjs/);
    expect(again.stdout).toContain(
      [
        "not wired: --deferred: commercelayer-webhook.js is yours and was left as it is; wrap slow handlers in deferred(...), and hand them off:",
        '  const { createLambdaWebhookWorker, createSqsHandOff, deferred, withHandOff } = require("./lib/commercelayer/commercelayer-webhook-queue.cjs");',
        "  exports.handler = createLambdaWebhookHandler(withHandOff(handlers, createSqsHandOff()), { deduplicate });",
        "  exports.worker = createLambdaWebhookWorker(handlers);",
        "not wired: --deduplicate memory: commercelayer-webhook.js is yours and was left as it is; create the store and pass it as the `deduplicate` option:",
        '  const { createMemoryDeduplicationStore } = require("./lib/commercelayer/memory-deduplication-store.cjs");',
        "  const deduplicate = { store: createMemoryDeduplicationStore() };",
      ].join("\n"),
    );
  });

  it("--dry-run lists the files and shows the handler file, and writes nothing", async () => {
    const dir = project(express);
    const result = await copyTo([dir, "--dry-run", "--topics", "orders.cancel"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/would write\s+commercelayer-webhook\.js/);
    expect(result.stdout).toContain('"orders.cancel": async (event) => {');
    expect(existsSync(join(dir, "commercelayer-webhook.js"))).toBe(false);
    expect(existsSync(join(dir, "lib"))).toBe(false);
    expect(existsSync(join(dir, ".env.example"))).toBe(false);
  });

  it("refuses to replace a file it did not write, writing nothing; --force replaces it", async () => {
    const dir = project({ ...express, [`lib/commercelayer/${FACTORY}.cjs`]: "// someone else's\n" });
    const refused = await copyTo([dir]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/refuse\s+lib\/commercelayer\/commercelayer-webhook-factory\.cjs/);
    expect(refused.stderr).toContain("nothing written");
    expect(existsSync(join(dir, "commercelayer-webhook.js"))).toBe(false);
    expect(read(dir, `lib/commercelayer/${FACTORY}.cjs`)).toBe("// someone else's\n");
    const forced = await copyTo([dir, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(read(dir, `lib/commercelayer/${FACTORY}.cjs`)).toMatch(/^\/\/ Copied by `npm run copy-to`/);
  });
});

describe.concurrent("--deferred: the queue file, the hand-off and the worker", () => {
  it("Serverless: the queue file beside the factory, deferred stubs, a `worker` export, the SQS entries printed", async () => {
    const dir = project({ "package.json": '{"type":"module"}', "serverless.yml": SERVICE_YML });
    const result = await copyTo([dir, "--deferred", "--topics", "orders.place,customers.create"]);
    expect(result.code, result.stderr).toBe(0);
    const handler = read(dir, "commercelayer-webhook.js");
    // `deferred` comes from the queue file: the factory does not export it.
    expect(handler).toContain(
      'import { createLambdaWebhookWorker, createSqsHandOff, deferred, withHandOff } from "./lib/commercelayer/commercelayer-webhook-queue.mjs";',
    );
    expect(handler).toContain('"orders.place": deferred(async (event) => {');
    expect(handler).toContain(
      "export const handler = createLambdaWebhookHandler(withHandOff(handlers, createSqsHandOff()));",
    );
    expect(handler).toContain("export const worker = createLambdaWebhookWorker(handlers);");
    expect(existsSync(join(dir, "lib/commercelayer/commercelayer-webhook-queue.d.mts"))).toBe(true);
    expect(await imported(dir, "commercelayer-webhook.js")).toBe("handler:function,worker:function");
    expect(result.stdout).toMatch(/add these functions to serverless\.yml/);
    expect(result.stdout).toContain("handler: commercelayer-webhook.worker");
    expect(result.stdout).toContain("functionResponseType: ReportBatchItemFailures");
    expect(result.stdout).toContain("Action: [sqs:SendMessage], Resource: !GetAtt CommercelayerWebhookQueue.Arn");
    expect(result.stdout).toContain("CommercelayerWebhookDeadLetterQueue:");
  });

  it("Netlify: the map in a module both functions import, the receiving function and its background worker", async () => {
    const dir = project({ "package.json": '{"type":"module"}', "netlify.toml": "", "tsconfig.json": "{}" });
    const result = await copyTo([dir, "--deferred"]);
    expect(result.code, result.stderr).toBe(0);
    const map = read(dir, "lib/commercelayer-webhook-handlers.mts");
    expect(map).toContain('import { deferred } from "./commercelayer/commercelayer-webhook-queue.mjs";');
    expect(map).toContain("export const handlers = defineWebhookHandlers({");
    const receiving = read(dir, "netlify/functions/commercelayer-webhook.mts");
    expect(receiving).toContain(
      "export default createNetlifyWebhookHandler(withHandOff(handlers, createBackgroundHandOff()));",
    );
    expect(receiving).toContain('import { handlers } from "../../lib/commercelayer-webhook-handlers.mjs";');
    const worker = read(dir, "netlify/functions/commercelayer-webhook-worker-background.mts");
    expect(worker).toContain("export default createNetlifyWebhookWorker(handlers);");
    expect(result.stdout).toMatch(/your handlers: orders\.place/);
  });

  it("Next.js App Router: waitUntil's hand-off, and the package it needs", async () => {
    const dir = project({ "package.json": NEXT, "app/page.js": "" });
    const result = await copyTo([dir, "--deferred"]);
    expect(result.code, result.stderr).toBe(0);
    expect(read(dir, "app/api/webhooks/commercelayer/route.js")).toContain(
      "export const POST = createVercelWebhookHandler(withHandOff(handlers, createWaitUntilHandOff(handlers)));",
    );
    expect(result.stdout).toContain("npm install @vercel/functions");
  });

  it("is refused where no platform queue exists (Express, an edge route), naming what to do", async () => {
    const express = await copyTo([project({ "package.json": EXPRESS_CJS }), "--deferred"]);
    expect(express.code).toBe(2);
    expect(express.stderr).toMatch(
      /^copy-to: --deferred: a Node server has no platform queue.*docs\/deferred-and-duplicates\.md/,
    );
    const edge = await copyTo([project({ "package.json": NEXT, "app/page.js": "" }), "--deferred", "--edge"]);
    expect(edge.code).toBe(2);
    expect(edge.stderr).toContain("drop --edge");
  });
});

describe.concurrent("--deduplicate: the store file, passed as the handler's `deduplicate` option", () => {
  it("dynamodb on Serverless: the store, the option, the table and its rights printed", async () => {
    const dir = project({ "package.json": '{"type":"module"}', "serverless.yml": SERVICE_YML });
    const result = await copyTo([dir, "--deduplicate", "dynamodb"]);
    expect(result.code, result.stderr).toBe(0);
    const handler = read(dir, "commercelayer-webhook.js");
    expect(handler).toContain(
      'const deduplicate = { store: createDynamoDbDeduplicationStore({ tableName: "commercelayer-webhook-claims" }) };',
    );
    expect(handler).toContain("createLambdaWebhookHandler(handlers, { deduplicate });");
    expect(existsSync(join(dir, "lib/commercelayer/dynamodb-deduplication-store.mjs"))).toBe(true);
    expect(existsSync(join(dir, "lib/commercelayer/dynamodb-deduplication-store.d.mts"))).toBe(true);
    expect(result.stdout).toContain("Type: AWS::DynamoDB::Table");
    expect(result.stdout).toContain("Action: [dynamodb:PutItem, dynamodb:DeleteItem]");
  });

  it("redis on an Express app: REDIS_URL in the environment example, the package to install", async () => {
    const dir = project({ "package.json": EXPRESS_ESM });
    const result = await copyTo([dir, "--deduplicate", "redis"]);
    expect(result.code, result.stderr).toBe(0);
    expect(read(dir, "commercelayer-webhook.js")).toContain(
      "createRedisDeduplicationStore({ url: process.env.REDIS_URL",
    );
    expect(read(dir, ".env.example")).toMatch(/^REDIS_URL=$/m);
    expect(result.stdout).toContain("npm install redis");
  });

  it("memory: built from the template's own store, and it claims once", async () => {
    const dir = project({ "package.json": EXPRESS_ESM });
    expect((await copyTo([dir, "--deduplicate", "memory"])).code).toBe(0);
    const store = pathToFileURL(join(dir, "lib/commercelayer/memory-deduplication-store.mjs")).href;
    expect(
      await node(
        `import(${JSON.stringify(store)}).then(async ({ createMemoryDeduplicationStore: create }) => { const s = create(); console.log(await s.claim("k", 60), await s.claim("k", 60)); })`,
        dir,
      ),
    ).toBe("true false");
  });

  it("blobs on a Netlify site, and refused elsewhere; an engine it does not know is refused with the list", async () => {
    const site = project({ "package.json": "{}", "netlify.toml": "" });
    expect((await copyTo([site, "--deduplicate", "blobs"])).code).toBe(0);
    expect(read(site, "netlify/functions/commercelayer-webhook.mjs")).toContain(
      "const deduplicate = { store: createBlobsDeduplicationStore() };",
    );
    const elsewhere = await copyTo([project({ "package.json": EXPRESS_ESM }), "--deduplicate", "blobs"]);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toContain("use redis, dynamodb or memory");
    const unknown = await copyTo([project({ "package.json": EXPRESS_ESM }), "--deduplicate", "mongo"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("dynamodb, redis, blobs, memory");
  });
});

describe.concurrent("--external: the external-resource factory and a route with a typed stub per kind", () => {
  it("an Express app: the file, the mount printed, each kind's secret variable", async () => {
    const dir = project({ "package.json": EXPRESS_CJS });
    const result = await copyTo([dir, "--external", "tax-calculator,prices"]);
    expect(result.code, result.stderr).toBe(0);
    const file = read(dir, "commercelayer-external.js");
    expect(file).toContain('"tax-calculator": async (event) => {');
    expect(file).toContain('return failure("not_written", "the prices handler is still the stub copy-to wrote");');
    expect(file).toContain("exports.commercelayerExternal = createNodeExternalHandler(handlers);");
    expect(await required(dir, "commercelayer-external.js")).toBe("commercelayerExternal:function");
    expect(result.stdout).toContain(
      'app.post(["/external/tax-calculator","/external/prices"], commercelayerExternal);',
    );
    expect(read(dir, ".env.example")).toMatch(/^COMMERCELAYER_TAX_CALCULATOR_SECRET=$/m);
    expect(read(dir, ".env.example")).toMatch(/^COMMERCELAYER_MARKET_SECRET=$/m);
  });

  it("Next.js: one catch-all route; plain Vercel api/: a function per kind; Netlify: one function, a path per kind", async () => {
    const next = project({ "package.json": NEXT, "app/page.js": "" });
    expect((await copyTo([next, "--external", "promotion"])).code).toBe(0);
    expect(read(next, "app/api/external/[...kind]/route.js")).toContain(
      "export const POST = createVercelExternalHandler(handlers);",
    );
    const vercel = project({ "package.json": "{}", "vercel.json": "{}" });
    const perKind = await copyTo([
      vercel,
      "--external",
      "payment-gateway/authorize,shipping-costs",
      "--kind",
      "external",
    ]);
    expect(perKind.code, perKind.stderr).toBe(0);
    expect(read(vercel, "api/external/payment-gateway/authorize.mjs")).toContain('"payment-gateway/authorize"');
    expect(read(vercel, "api/external/shipping-costs.mjs")).toContain('"shipping-costs"');
    // --kind external: no webhook receiver.
    expect(existsSync(join(vercel, "api/webhooks"))).toBe(false);
    expect(existsSync(join(vercel, `lib/commercelayer/${FACTORY}.mjs`))).toBe(false);
    const site = project({ "package.json": "{}", "netlify.toml": "" });
    expect((await copyTo([site, "--external", "prices,order-validation"])).code).toBe(0);
    expect(read(site, "netlify/functions/commercelayer-external.mjs")).toContain(
      'export const config = { path: ["/external/prices","/external/order-validation"] };',
    );
  });

  it("Serverless: the function with a route per kind and its secret", async () => {
    const dir = project({ "package.json": '{"type":"module"}', "serverless.yml": SERVICE_YML });
    const result = await copyTo([dir, "--external", "tax-calculator"]);
    expect(result.code, result.stderr).toBe(0);
    expect(await imported(dir, "commercelayer-external.js")).toBe("handler:function");
    expect(result.stdout).toContain("handler: commercelayer-external.handler");
    expect(result.stdout).toContain("- httpApi: { method: POST, path: /external/tax-calculator }");
    expect(result.stdout).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Serverless's own variable syntax, as printed
      "COMMERCELAYER_TAX_CALCULATOR_SECRET: ${env:COMMERCELAYER_TAX_CALCULATOR_SECRET, ''}",
    );
  });

  it("a kind that is not one is refused with the closest; a re-run names the kinds it did not add", async () => {
    const dir = project({ "package.json": EXPRESS_ESM });
    const typo = await copyTo([dir, "--external", "tax-calculater"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('did you mean "tax-calculator"?');
    expect((await copyTo([dir, "--external", "tax-calculator"])).code).toBe(0);
    const again = await copyTo([dir, "--external", "tax-calculator,promotion"]);
    expect(again.stdout).toContain(
      "not added: kinds promotion: commercelayer-external.js is yours and was left as it is; paste into its defineExternalHandlers({ ... }):",
    );
    expect(again.stdout).toContain('  "promotion": async (event) => {');
  });
});

describe.concurrent("Serverless: the service's own runtime", () => {
  const warningOf = async (yml: string) => {
    const result = await copyTo([project({ "package.json": "{}", "serverless.yml": yml })]);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout.split("\n").filter((line) => line.startsWith("warning: "));
  };

  it("older than nodejs22.x: the line to change", async () => {
    expect(await warningOf("service: shop\n\nprovider:\n  name: aws\n  runtime: nodejs20.x # old\n")).toEqual([
      "warning: serverless.yml:5: provider.runtime is nodejs20.x, on which Lambda no longer creates or updates functions: change that line to `runtime: nodejs22.x`",
    ]);
  });

  it("no runtime (Serverless v3 then deploys nodejs16.x): where to add it", async () => {
    expect(
      await warningOf("service: shop\nprovider:\n  name: aws\nfunctions:\n  a:\n    runtime: nodejs22.x\n"),
    ).toEqual([
      "warning: serverless.yml:2: provider sets no runtime, so Serverless v3 deploys nodejs16.x, which Lambda no longer deploys: add `runtime: nodejs22.x` under `provider:`",
    ]);
  });

  it("nodejs22.x or later: nothing; with configValidationMode error, that Serverless 3.40 refuses it", async () => {
    expect(await warningOf(SERVICE_YML)).toEqual([]);
    expect(await warningOf("service: shop\nprovider:\n  runtime: 'nodejs24.x'\n")).toEqual([]);
    expect(await warningOf(`configValidationMode: error\n${SERVICE_YML}`)).toEqual([
      "warning: serverless.yml:1: configValidationMode: error makes Serverless 3.40 refuse nodejs22.x (its schema predates it): set it to warn",
    ]);
  });
});

describe.concurrent("what it refuses", () => {
  it("a folder it cannot tell, naming the kinds it knows and --as", async () => {
    const dir = project({ "package.json": "{}" });
    const result = await copyTo([dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot tell what project");
    for (const kind of ["nextjs-app", "nextjs-pages", "vercel-api", "netlify", "serverless", "express", "node"])
      expect(result.stderr).toContain(kind);
    const named = await copyTo([dir, "--as", "node"]);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout).toContain("commercelayerWebhook(req, res)");
  });

  it("a topic Commerce Layer does not send (the handler file would not type-check), suggesting the closest", async () => {
    const dir = project({ "package.json": NEXT, "app/page.js": "" });
    const result = await copyTo([dir, "--topics", "orders.place,orders.aprove"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('did you mean "orders.approve"?');
    expect(existsSync(join(dir, "app/api"))).toBe(false);
  });

  it("--edge outside a Next.js App Router project, and a --kind that is an external kind", async () => {
    const dir = project({ "package.json": "{}", "netlify.toml": "" });
    expect((await copyTo([dir, "--edge"])).stderr).toContain("docs/edge.md");
    const kind = await copyTo([dir, "--kind", "tax-calculator"]);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain("--external tax-calculator");
    const bare = await copyTo([dir, "--kind", "external"]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("name the kinds with --external");
  });
});

describe.concurrent("what it writes type-checks against the copied declarations, and a typo does not", () => {
  it("an ES-module TypeScript Express app: tsc accepts the stubs and names the misspelt topic", async () => {
    const dir = project({ "package.json": EXPRESS_ESM, "tsconfig.json": tsconfig("NodeNext", ["*.ts"]) });
    expect((await copyTo([dir, "--topics", "orders.place,shipments.*", "--external", "prices"])).code).toBe(0);
    expect(await tsc(dir)).toBe("");
    const file = join(dir, "commercelayer-webhook.ts");
    writeFileSync(file, read(dir, "commercelayer-webhook.ts").replace('"orders.place"', '"orders.plaec"'));
    expect(await tsc(dir)).toContain('"orders.plaec"');
  });

  it("a TypeScript Netlify site with --deferred, --deduplicate blobs and --external: the three functions check", async () => {
    const dir = project({
      "package.json": '{"type":"module"}',
      "netlify.toml": "",
      "tsconfig.json": tsconfig("NodeNext", ["netlify/**/*.mts", "lib/*.mts"]),
    });
    const result = await copyTo([
      dir,
      "--deferred",
      "--deduplicate",
      "blobs",
      "--external",
      "payment-gateway/authorize",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(await tsc(dir)).toBe("");
  });
});
