// `npm run copy-to -- <project-dir>`: writes a Commerce Layer webhook receiver into an existing project, as the
// project's own code: the factory file of its platform (and its declarations) in lib/commercelayer/, a handler file
// with a typed stub per topic, and the secret's variable in the environment example; with --deferred the queue file
// and the worker, with --deduplicate a store, with --external the external-resource factory and its routes. ES modules
// or CommonJS, as the project is. Re-running updates the copied files, never the user's files (it says what it did
// not add to them); nothing else is overwritten without --force.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { closestKnownTopic, KNOWN_TOPICS } from "../local/send-topics.ts";
import { COPIED_MARK, ROOT } from "./copied-files.ts";
import { STORE_ENGINES } from "./deduplication.ts";
import { detectProject, PROJECT_KINDS, type Project } from "./detect.ts";
import { parseKinds } from "./external-file.ts";
import { missingKeys, missingKeysReport, missingWiringReport } from "./missing-keys.ts";
import { type CopyOptions, type PlannedFile, planCopy } from "./plan.ts";

const USAGE = `Usage: npm run copy-to -- <project-dir> [options]

  --topics a,b           a typed stub per topic in the handler file (default: orders.place)
  --deferred             the stubs run after the 200: the platform's queue file and its worker (AWS Lambda: SQS,
                         Netlify: a background function, Vercel: waitUntil)
  --deduplicate STORE    a delivery sent twice runs once: ${STORE_ENGINES.join(", ")}
  --external a,b         external resources too: their factory and a route with a typed stub per kind
                         (tax-calculator, prices, payment-gateway/authorize, ...)
  --kind KIND            webhooks (default; with --external, both) or external (only the external resources)
  --edge                 Next.js App Router: an edge route (runtime = "edge") on the edge factory
  --as KIND              skip detection: ${Object.keys(PROJECT_KINDS).join(", ")}
  --dry-run              show what would be written, write nothing
  --force                overwrite files that are not this command's (your handler file included)`;

type Action = "write" | "update" | "unchanged" | "keep" | "overwrite" | "refuse" | "add" | "present";

function templateVersion(): string {
  const { name, version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, string>;
  return `${name} ${version}`;
}

function actionFor(project: Project, file: PlannedFile, force: boolean): Action {
  const path = join(project.dir, file.path);
  if (file.role === "env") return file.content === "" ? "present" : "add";
  if (!existsSync(path)) return "write";
  const current = readFileSync(path, "utf8");
  if (file.role === "copied" && current.startsWith(COPIED_MARK))
    return current === file.content ? "unchanged" : "update";
  if (force) return "overwrite";
  return file.role === "yours" ? "keep" : "refuse";
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

/** The options, checked against each other; a string says why not (exit 2). */
function copyOptions(values: ReturnType<typeof parse>["values"]): CopyOptions | string {
  if (values.kind !== "webhooks" && values.kind !== "external") {
    const asKind = parseKinds(values.kind);
    return "kinds" in asKind
      ? `--kind ${values.kind}: external resources are named by --external: --external ${values.kind} (with --kind external for them alone)`
      : `--kind ${values.kind}: the kinds are webhooks (the default) and external (with --external <kinds>)`;
  }
  const webhooks = values.kind === "webhooks";
  let external: CopyOptions["external"];
  if (values.external !== undefined) {
    const parsed = parseKinds(values.external);
    if ("refused" in parsed) return parsed.refused;
    external = parsed.kinds;
  } else if (!webhooks) return "--kind external: name the kinds with --external, e.g. --external tax-calculator";
  if (!webhooks && (values.deferred || values.deduplicate !== undefined || values.topics !== undefined))
    return "--kind external: --topics, --deferred and --deduplicate are for webhooks; drop them or drop --kind external";
  const topics = (values.topics ?? "orders.place")
    .split(",")
    .map((topic) => topic.trim())
    .filter(Boolean);
  const unknown = unknownTopics(topics);
  if (unknown.length > 0)
    return `${unknown.join("\ncopy-to: ")}\n(the handler file would not type-check: nothing written)`;
  return {
    webhooks,
    topics,
    edge: values.edge,
    deferred: values.deferred,
    deduplicate: values.deduplicate,
    external,
  };
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
  const options = copyOptions(values);
  if (typeof options === "string") {
    console.error(`copy-to: ${options}`);
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

  const planned = await planCopy(project, options, templateVersion());
  if ("refused" in planned) {
    console.error(`copy-to: ${planned.refused}`);
    return 2;
  }
  const { plan } = planned;
  const actions = plan.files.map((file) => ({ file, action: actionFor(project, file, values.force) }));
  const handlerKeys = (file: PlannedFile) => file.userFile?.keys;

  const where = relative(process.cwd(), project.dir) || ".";
  const system = plan.target.flavour === "cjs" ? ", CommonJS" : "";
  console.log(
    `${where}: ${PROJECT_KINDS[project.kind]}${system}${values["dry-run"] ? " (dry run: nothing is written)" : ""}`,
  );
  const width = Math.max(58, ...actions.map(({ file }) => file.path.length + 1));
  for (const { file, action } of actions) {
    const keys = handlerKeys(file);
    const why =
      action === "keep"
        ? "exists: yours, left as it is (--force replaces it)"
        : action === "refuse"
          ? "exists and was not written by this command: --force replaces it"
          : keys !== undefined
            ? `your handlers: ${keys.names.join(", ")}`
            : "";
    const shown =
      values["dry-run"] && ["write", "update", "overwrite", "add"].includes(action) ? `would ${action}` : action;
    console.log(`  ${shown.padEnd(15)} ${file.path.padEnd(width)} ${why}`.trimEnd());
  }
  // A kept file of the user's: what this run asked for that it does not have.
  const reports = actions.flatMap(({ file, action }) => {
    if (action !== "keep" || file.userFile === undefined) return [];
    const current = readFileSync(join(project.dir, file.path), "utf8");
    return [
      ...missingKeysReport(file.userFile, missingKeys(file.userFile, current)),
      ...missingWiringReport(file.userFile, current),
    ];
  });
  if (reports.length > 0) console.log(`\n${reports.join("\n")}`);
  if (actions.some(({ action }) => action === "refuse")) {
    console.error("copy-to: nothing written: a file in the way is not this command's (see above)");
    return 1;
  }
  if (values["dry-run"]) {
    for (const { file, action } of actions)
      if (file.role === "yours" && action !== "keep") console.log(`\n--- ${file.path}\n${file.content}---`);
  } else {
    for (const { file, action } of actions) {
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
  console.log("");
  const urlWidth = Math.max(40, ...plan.urls.map(({ path }) => path.length + 1));
  for (const { path, what } of plan.urls) console.log(`URL:    POST ${path.padEnd(urlWidth)} ${what}`);
  for (const { name, comment } of plan.variables) console.log(`Set:    ${name.padEnd(40)} ${comment}`);
  for (const warning of plan.warnings) console.log(`warning: ${warning}`);
  console.log("Next:");
  for (const step of plan.steps) console.log(`  ${step}`);
  return 0;
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      topics: { type: "string" },
      deferred: { type: "boolean", default: false },
      deduplicate: { type: "string" },
      external: { type: "string" },
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
