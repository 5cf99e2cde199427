// `npm run copy-to -- <project-dir>`: writes a Commerce Layer webhook receiver into an existing project, as the
// project's own code: the factory file of its platform (and its declarations) in a lib folder, a handler file with a
// typed stub per topic, and the secret's variable in the environment example. Re-running updates the factory files,
// never the handler file; nothing else is overwritten without --force.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildBundles, bundlesAreFresh, ROOT } from "../build/build.ts";
import { closestKnownTopic, KNOWN_TOPICS } from "../local/send-topics.ts";
import { detectProject, PROJECT_KINDS, type Project } from "./detect.ts";
import { renderHandlerFile } from "./handler-file.ts";
import { targetFor } from "./targets.ts";

const USAGE = `Usage: npm run copy-to -- <project-dir> [options]

  --topics a,b        a typed stub per topic in the handler file (default: orders.place)
  --kind webhooks     what to receive (webhooks: the only kind in this version)
  --edge              Next.js App Router: an edge route (runtime = "edge") on the edge factory
  --as KIND           skip detection: ${Object.keys(PROJECT_KINDS).join(", ")}
  --dry-run           show what would be written, write nothing
  --force             overwrite files that are not this command's (your handler file included)`;

const SECRET_ENV = "COMMERCELAYER_WEBHOOK_SECRET";
/** The first line of every factory file this command copies: how a re-run knows the file is its own to update. */
const COPIED_MARK = "// Copied by `npm run copy-to` from ";
const FACTORY = "commercelayer-webhook-factory";

type Action = "write" | "update" | "unchanged" | "keep" | "overwrite" | "refuse" | "add" | "present";

interface PlannedFile {
  readonly path: string;
  readonly content: string;
  /** factory: ours, updated on every run; handler: the user's once written; env: a line added to an example file. */
  readonly role: "factory" | "handler" | "env";
}

function templateVersion(): string {
  const { name, version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, string>;
  return `${name} ${version}`;
}

function actionFor(project: Project, file: PlannedFile, force: boolean): Action {
  const path = join(project.dir, file.path);
  if (!existsSync(path)) return file.role === "env" ? "add" : "write";
  const current = readFileSync(path, "utf8");
  if (file.role === "env") return new RegExp(`^\\s*${SECRET_ENV}=`, "m").test(current) ? "present" : "add";
  if (file.role === "factory" && current.startsWith(COPIED_MARK))
    return current === file.content ? "unchanged" : "update";
  if (force) return "overwrite";
  return file.role === "handler" ? "keep" : "refuse";
}

function envExampleOf(project: Project): string {
  const next = project.kind === "nextjs-app" || project.kind === "nextjs-pages";
  if (next && existsSync(join(project.dir, ".env.local.example"))) return ".env.local.example";
  return ".env.example";
}

async function factoryFiles(factory: string): Promise<{ code: string; types: string }> {
  const base = join(ROOT, "dist/factories", factory, FACTORY);
  if (!bundlesAreFresh() || !existsSync(`${base}.d.mts`)) {
    await buildBundles();
    console.log("built dist/ first: the factory files were missing or older than the sources");
  }
  return { code: readFileSync(`${base}.mjs`, "utf8"), types: readFileSync(`${base}.d.mts`, "utf8") };
}

/** Topics the handler map could not hold: defineWebhookHandlers refuses them at type-check (a typo is an error). */
function unknownTopics(topics: readonly string[]): string[] {
  const resources = new Set([...KNOWN_TOPICS].map((topic) => topic.split(".")[0]));
  return topics
    .filter(
      (topic) =>
        !(KNOWN_TOPICS.has(topic) || topic === "*" || (topic.endsWith(".*") && resources.has(topic.slice(0, -2)))),
    )
    .map((topic) => `"${topic}" is not a Commerce Layer topic; did you mean "${closestKnownTopic(topic)}"?`);
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  if (values.kind !== "webhooks") {
    console.error(
      `--kind ${values.kind}: this version copies webhook receivers only (--kind webhooks); external resources are not in it yet`,
    );
    return 2;
  }
  const detection = detectProject(resolve(positionals[0] as string), values.as);
  if ("refused" in detection) {
    console.error(`copy-to: ${detection.refused}`);
    return 1;
  }
  const { project } = detection;
  if (values.edge && project.kind !== "nextjs-app") {
    console.error(
      "--edge writes a Next.js App Router edge route; for Netlify Edge Functions and Cloudflare Workers, see docs/edge.md",
    );
    return 2;
  }
  if (values.edge && project.cacheComponents) {
    console.error(
      '--edge: next.config turns on cacheComponents, and Next.js then refuses `export const runtime = "edge"` (next build fails). Drop --edge for a Node.js route, or turn cacheComponents off first.',
    );
    return 2;
  }
  const topics = (values.topics ?? "orders.place")
    .split(",")
    .map((topic) => topic.trim())
    .filter(Boolean);
  const unknown = unknownTopics(topics);
  if (unknown.length > 0) {
    console.error(`copy-to: ${unknown.join("\ncopy-to: ")}\n(the handler file would not type-check: nothing written)`);
    return 2;
  }

  const target = targetFor(project, values.edge, envExampleOf(project));
  const origin = templateVersion();
  const { code, types } = await factoryFiles(target.factory);
  const factoryPath = posix.join(target.libDir, `${FACTORY}.mjs`);
  const mark = `${COPIED_MARK}${origin} (dist/factories/${target.factory}/): re-running it updates this file.\n`;
  const importPath = posix.relative(posix.dirname(target.handlerFile), factoryPath);
  const files: PlannedFile[] = [
    { path: factoryPath, content: mark + code, role: "factory" },
    { path: posix.join(target.libDir, `${FACTORY}.d.mts`), content: mark + types, role: "factory" },
    {
      path: target.handlerFile,
      role: "handler",
      content: renderHandlerFile({
        shape: target.shape,
        importPath: importPath.startsWith(".") ? importPath : `./${importPath}`,
        topics,
        urlPath: target.urlPath,
        origin,
      }),
    },
    {
      path: target.envExample,
      role: "env",
      content: `# The Commerce Layer webhook's shared secret (several: comma-separated, for a rotation)\n${SECRET_ENV}=\n`,
    },
  ];
  const planned = files.map((file) => ({ file, action: actionFor(project, file, values.force) }));

  const where = relative(process.cwd(), project.dir) || ".";
  console.log(`${where}: ${PROJECT_KINDS[project.kind]}${values["dry-run"] ? " (dry run: nothing is written)" : ""}`);
  for (const { file, action } of planned) {
    const why =
      action === "keep"
        ? "exists: yours, left as it is (--force replaces it)"
        : action === "refuse"
          ? "exists and was not written by this command: --force replaces it"
          : file.role === "handler"
            ? `your handlers: ${topics.join(", ")}`
            : "";
    const shown =
      values["dry-run"] && ["write", "update", "overwrite", "add"].includes(action) ? `would ${action}` : action;
    console.log(`  ${shown.padEnd(15)} ${file.path.padEnd(58)} ${why}`);
  }
  if (planned.some(({ action }) => action === "refuse")) {
    console.error("copy-to: nothing written: a file in the way is not this command's (see above)");
    return 1;
  }
  const handler = planned.find(({ file }) => file.role === "handler");
  if (values["dry-run"]) {
    if (handler !== undefined && handler.action !== "keep")
      console.log(`\n--- ${handler.file.path}\n${handler.file.content}---`);
  } else {
    for (const { file, action } of planned) {
      const path = join(project.dir, file.path);
      if (action === "write" || action === "update" || action === "overwrite") {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, file.content);
      } else if (action === "add") {
        const before = existsSync(path) ? readFileSync(path, "utf8") : "";
        writeFileSync(path, `${before}${before === "" || before.endsWith("\n") ? "" : "\n"}${file.content}`);
      }
    }
  }
  console.log(`\nURL:    POST ${target.urlPath}`);
  console.log(
    `Secret: ${SECRET_ENV} (the webhook's shared secret, shown in Commerce Layer when the webhook is created)`,
  );
  console.log("Next:");
  for (const step of target.nextSteps) console.log(`  ${step}`);
  return 0;
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      topics: { type: "string" },
      kind: { type: "string", default: "webhooks" },
      edge: { type: "boolean", default: false },
      as: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      force: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

process.exitCode = await main();
