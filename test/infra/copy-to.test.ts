// `npm run copy-to` as a person runs it, on project folders laid out as each kind's tools lay them out: what it
// detects, what it writes where, what a re-run changes (the factory files) and never changes (the handler file), what
// --dry-run and --force do, and what it refuses. The real projects' own builds: test/emulators/copy-to/.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/bundles.ts";

const run = promisify(execFile);
const FACTORY = "commercelayer-webhook-factory";
const folders: string[] = [];

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A project folder with these files (path -> content). */
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

const read = (dir: string, path: string) => readFileSync(join(dir, path), "utf8");
const NEXT = JSON.stringify({ dependencies: { next: "16.4.6", react: "19.3.1" } });

describe.each([
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
    kind: "Serverless Framework service (no bundling plugin: an .mjs Lambda can load)",
    files: { "package.json": "{}", "tsconfig.json": "{}", "serverless.yml": "service: shop\nprovider:\n  name: aws\n" },
    factory: "aws-lambda",
    lib: "lib/commercelayer",
    handler: "commercelayer-webhook.mjs",
    exported: /export const handler = createLambdaWebhookHandler/,
    url: "POST /webhooks/commercelayer",
    printed:
      /handler: commercelayer-webhook\.handler[\s\S]*httpApi: \{ method: POST, path: \/webhooks\/commercelayer \}/,
  },
  {
    kind: "Serverless Framework service with serverless-esbuild",
    files: {
      "package.json": "{}",
      "tsconfig.json": "{}",
      "serverless.yml": "service: shop\nplugins:\n  - serverless-esbuild\n",
    },
    factory: "aws-lambda",
    lib: "lib/commercelayer",
    handler: "src/commercelayer-webhook.ts",
    exported: /export const handler = createLambdaWebhookHandler/,
    url: "POST /webhooks/commercelayer",
    printed: /handler: src\/commercelayer-webhook\.handler/,
  },
  {
    kind: "Express app under src/",
    files: { "package.json": JSON.stringify({ dependencies: { express: "5" } }), "src/server.js": "" },
    factory: "node",
    lib: "lib/commercelayer",
    handler: "src/commercelayer-webhook.mjs",
    exported: /export const commercelayerWebhook = createNodeWebhookHandler/,
    url: "POST /webhooks/commercelayer",
    printed: /app\.post\("\/webhooks\/commercelayer", commercelayerWebhook\)/,
  },
])("$kind", (spec) => {
  it("writes the factory with its declarations, the handler file with a stub per topic, and the secret's variable", async () => {
    const dir = project(spec.files);
    const result = await copyTo([dir, "--topics", "orders.place,customers.create", ...(spec.args ?? [])]);
    expect(result.code, result.stderr).toBe(0);
    const built = readFileSync(join(ROOT, "dist/factories", spec.factory, `${FACTORY}.mjs`), "utf8");
    const copied = read(dir, `${spec.lib}/${FACTORY}.mjs`);
    expect(copied).toMatch(/^\/\/ Copied by `npm run copy-to` from commercelayer-webhooks-serverless \d+\.\d+\.\d+/);
    expect(copied.slice(copied.indexOf("\n") + 1)).toBe(built);
    expect(existsSync(join(dir, `${spec.lib}/${FACTORY}.d.mts`))).toBe(true);
    const handler = read(dir, spec.handler);
    expect(handler).toMatch(spec.exported);
    expect(handler).toContain('"orders.place": async (event) => {');
    expect(handler).toContain('"customers.create": async (event) => {');
    const imported = /from "([^"]+)"/.exec(handler)?.[1] ?? "";
    expect(existsSync(join(dir, dirname(spec.handler), imported)), imported).toBe(true);
    expect(read(dir, ".env.example")).toMatch(/^COMMERCELAYER_WEBHOOK_SECRET=$/m);
    expect(result.stdout).toContain(spec.url);
    expect(result.stdout).toContain("COMMERCELAYER_WEBHOOK_SECRET");
    if (spec.printed) expect(result.stdout).toMatch(spec.printed);
  });
});

describe("running it again, --dry-run and --force", () => {
  const express = { "package.json": JSON.stringify({ dependencies: { express: "5" } }) };

  it("a re-run updates the factory files and never touches the handler file or the variable already there", async () => {
    const dir = project(express);
    expect((await copyTo([dir])).code).toBe(0);
    const mine = `${read(dir, "commercelayer-webhook.mjs")}\n// my own code\n`;
    writeFileSync(join(dir, "commercelayer-webhook.mjs"), mine);
    writeFileSync(
      join(dir, `lib/commercelayer/${FACTORY}.mjs`),
      `${read(dir, `lib/commercelayer/${FACTORY}.mjs`)}//old\n`,
    );
    const again = await copyTo([dir, "--topics", "shipments.ship"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/update\s+lib\/commercelayer\/commercelayer-webhook-factory\.mjs/);
    expect(again.stdout).toMatch(/unchanged\s+lib\/commercelayer\/commercelayer-webhook-factory\.d\.mts/);
    expect(again.stdout).toMatch(/keep\s+commercelayer-webhook\.mjs/);
    expect(read(dir, "commercelayer-webhook.mjs")).toBe(mine);
    expect(read(dir, `lib/commercelayer/${FACTORY}.mjs`)).not.toContain("//old");
    expect(read(dir, ".env.example").match(/COMMERCELAYER_WEBHOOK_SECRET=/g)).toHaveLength(1);
  });

  it("--dry-run lists the files and shows the handler file, and writes nothing", async () => {
    const dir = project(express);
    const result = await copyTo([dir, "--dry-run", "--topics", "orders.cancel"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/would write\s+commercelayer-webhook\.mjs/);
    expect(result.stdout).toContain('"orders.cancel": async (event) => {');
    expect(existsSync(join(dir, "commercelayer-webhook.mjs"))).toBe(false);
    expect(existsSync(join(dir, "lib"))).toBe(false);
    expect(existsSync(join(dir, ".env.example"))).toBe(false);
  });

  it("refuses to replace a file it did not write, writing nothing; --force replaces it", async () => {
    const dir = project({ ...express, [`lib/commercelayer/${FACTORY}.mjs`]: "// someone else's\n" });
    const refused = await copyTo([dir]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/refuse\s+lib\/commercelayer\/commercelayer-webhook-factory\.mjs/);
    expect(refused.stderr).toContain("nothing written");
    expect(existsSync(join(dir, "commercelayer-webhook.mjs"))).toBe(false);
    expect(read(dir, `lib/commercelayer/${FACTORY}.mjs`)).toBe("// someone else's\n");
    const forced = await copyTo([dir, "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(read(dir, `lib/commercelayer/${FACTORY}.mjs`)).toMatch(/^\/\/ Copied by `npm run copy-to`/);
  });
});

describe("what it refuses", () => {
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

  it("--edge outside a Next.js App Router project, and a kind this version does not copy", async () => {
    const dir = project({ "package.json": "{}", "netlify.toml": "" });
    expect((await copyTo([dir, "--edge"])).stderr).toContain("docs/edge.md");
    const kind = await copyTo([dir, "--kind", "tax-calculator"]);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain("--kind webhooks");
  });
});

describe("the handler file type-checks against the copied declarations, and a topic typo does not", () => {
  it("tsc accepts the stub and names the misspelt topic", async () => {
    const dir = project({
      "package.json": JSON.stringify({ type: "module", dependencies: { express: "5" } }),
      "tsconfig.json": JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2022",
          noEmit: true,
          skipLibCheck: false,
          // The Node factory's declarations refer to node:http, as an Express project's @types/node provides.
          typeRoots: [join(ROOT, "node_modules/@types")],
          types: ["node"],
        },
        include: ["*.ts"],
      }),
    });
    expect((await copyTo([dir, "--topics", "orders.place,shipments.*"])).code).toBe(0);
    const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
    const check = () =>
      run(process.execPath, [tsc, "-p", dir]).then(
        () => "",
        (error: { stdout: string }) => error.stdout,
      );
    expect(await check()).toBe("");
    const file = join(dir, "commercelayer-webhook.ts");
    writeFileSync(file, read(dir, "commercelayer-webhook.ts").replace('"orders.place"', '"orders.plaec"'));
    expect(await check()).toContain('"orders.plaec"');
  });
});
