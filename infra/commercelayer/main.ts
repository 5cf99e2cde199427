// `npm run commercelayer -- <command>`: Commerce Layer's webhooks and external resources as code. The handlers file
// says which topics are handled and which relationships each handler reads; `plan` shows what that means in Commerce
// Layer, `apply` makes it so (one webhook per topic, created disabled, secrets written to .env), `enable` switches them
// on once the secrets are deployed, `status` checks them (for a cron or CI job), `reset` closes open circuits and
// `redeliver` re-fires the events whose deliveries failed. It only ever touches the webhooks it made (webhooks.ts),
// never prompts, and ends every failure with one line (docs/operating-webhooks.md).
// The external handlers file's kinds go through the same verbs (external-*.ts): the attachments name the resource
// each kind serves, `apply` reads their secrets into .env, `enable` points their URL fields at the deployment, and
// `status` and `reset` cover their circuits (docs/external-resources.md).
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { kindOfPath } from "../../shared/external/kinds.ts";
import { EXTERNAL_HANDLERS_FILE } from "../build/external-deploy.ts";
import { apply, currentPlan } from "./apply.ts";
import { type Client, connect } from "./client.ts";
import { ConfigProblem, readCredentials, readEnvFile } from "./config.ts";
import { desiredWebhooks, loadHandlers } from "./desired.ts";
import { enable } from "./enable.ts";
import { applyExternal } from "./external-apply.ts";
import { type ExternalSetup, externalSetup, parseAttach } from "./external-attachments.ts";
import { enableExternal } from "./external-enable.ts";
import { externalSummary, printExternalPlan } from "./external-output.ts";
import { makeExternalPlan } from "./external-plan.ts";
import { type AttachedResource, readAttached } from "./external-resources.ts";
import { externalStatuses } from "./external-status.ts";
import { describeFault, UsageError } from "./faults.ts";
import { printJson, say, warn } from "./output.ts";
import { printPlan } from "./plan-output.ts";
import { parseSince, redeliver } from "./redeliver.ts";
import { reset } from "./reset.ts";
import { status } from "./status.ts";
import { managedWebhooks } from "./webhooks.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const USAGE = `Usage: npm run commercelayer -- <command> [options]

  plan --url URL       what apply would create, update (field by field) and delete; changes nothing
  apply --url URL      makes Commerce Layer's webhooks match the handlers file, one per topic, new ones disabled,
                       and writes their secrets to the env file (COMMERCELAYER_WEBHOOK_TOPIC_SECRETS)
  enable               switches the managed webhooks on, once their secrets are deployed
  status [--url URL]   each managed webhook's circuit, failures, state and last responses; exit 1 on a problem
  reset                closes the managed webhooks' open circuits
  redeliver            lists the events whose deliveries failed; --yes re-fires them
  The external resources go through the same commands, from the kinds the external handlers file implements:
  plan shows the URL changes, apply writes the attached resources' secrets to the env file, enable --external-url
  sets their URLs, status shows their circuits, reset closes them. Without --url, webhooks are left out.

  --url URL            the receiver's full URL, as the deploy printed it (https://<host>/.../webhooks/commercelayer)
  --handlers FILE      plan, apply: the handlers file (default functions/handlers.ts)
  --external-url URL   plan, apply, enable, status: where the external kinds are deployed, without the kind
                       (https://<project>.vercel.app/api/external); each kind's URL is URL/<kind>
  --external-handlers FILE
                       the external handlers file (default functions/external.ts); its attachments are
                       <name>-attachments.ts beside it (functions/external-attachments.ts)
  --attach KIND=ID     the resource a kind serves (payment-gateway: all of a gateway's actions); repeatable, and
                       replaces the attachments file's resources of that kind
  --env-file FILE      where credentials are read from and secrets written to (default .env)
  --rotate             plan, apply: start a rotation: a second webhook per topic, with a new secret
  --topic TOPIC        enable, reset, redeliver: only that topic's webhooks (no external resource)
  --since TIME         redeliver: an ISO time, or 30m, 2h, 3d back from now (default 24h)
  --yes                redeliver: re-fire the events listed
  --json               plan, status: JSON on stdout
  -h, --help           this text

Credentials: COMMERCELAYER_CLIENT_ID and COMMERCELAYER_CLIENT_SECRET (an integration application), and
COMMERCELAYER_API_ENDPOINT, COMMERCELAYER_AUTH_ENDPOINT, from the environment or the env file.
Exit code: 0 done, 1 a failure (or, for status, a problem), 2 a usage error or missing credentials.`;

const OPTIONS = {
  url: { type: "string" },
  handlers: { type: "string" },
  "external-url": { type: "string" },
  "external-handlers": { type: "string" },
  attach: { type: "string", multiple: true },
  "env-file": { type: "string" },
  rotate: { type: "boolean" },
  topic: { type: "string" },
  since: { type: "string" },
  yes: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Option = keyof typeof OPTIONS;
type Verb = "plan" | "apply" | "enable" | "status" | "reset" | "redeliver";

const EXTERNAL: readonly Option[] = ["external-handlers", "attach"];

const VERB_OPTIONS: Record<Verb, readonly Option[]> = {
  plan: ["url", "handlers", "env-file", "rotate", "json", "external-url", ...EXTERNAL],
  apply: ["url", "handlers", "env-file", "rotate", "external-url", ...EXTERNAL],
  enable: ["env-file", "topic", "external-url", ...EXTERNAL],
  status: ["url", "env-file", "json", "external-url", ...EXTERNAL],
  reset: ["env-file", "topic", ...EXTERNAL],
  redeliver: ["env-file", "topic", "since", "yes"],
};

function isVerb(word: string | undefined): word is Verb {
  return word !== undefined && Object.hasOwn(VERB_OPTIONS, word);
}

function checkedUrl(url: string): string {
  try {
    if (/^https?:$/.test(new URL(url).protocol)) return url;
  } catch {}
  throw new UsageError(`--url ${url}: give the receiver's full URL, https://...`);
}

/** The prefix every kind's URL starts with, without a trailing slash and without a kind. */
function checkedExternalUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {}
  if (parsed === undefined || !/^https?:$/.test(parsed.protocol) || parsed.search !== "" || parsed.hash !== "") {
    throw new UsageError(`--external-url ${url}: give the prefix of the kinds' URLs, https://.../api/external`);
  }
  const kind = kindOfPath(parsed.pathname);
  if (kind !== undefined) {
    throw new UsageError(
      `--external-url ${url}: give it without the kind (${kind}): each kind's URL is <prefix>/<kind>`,
    );
  }
  return url.replace(/\/+$/, "");
}

/** The command line, checked: its verb and options. Throws UsageError. */
function readCommandLine(argv: readonly string[]) {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs's own words, without its advice on positionals that start with a dash.
    throw new UsageError((error as Error).message.split(". To specify")[0] as string);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true as const };
  const [verb, ...extra] = positionals;
  if (!isVerb(verb)) throw new UsageError(verb === undefined ? "which command?" : `unknown command: ${verb}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);
  const misplaced = (Object.keys(values) as Option[]).filter((option) => !VERB_OPTIONS[verb].includes(option));
  if (misplaced.length > 0) throw new UsageError(`--${misplaced[0]} is not an option of ${verb}`);
  if (values.topic !== undefined && values["external-url"] !== undefined) {
    throw new UsageError("--topic limits the run to one topic's webhooks: it takes no --external-url");
  }
  return {
    help: false as const,
    verb,
    url: values.url === undefined ? undefined : checkedUrl(values.url),
    externalUrl: values["external-url"] === undefined ? undefined : checkedExternalUrl(values["external-url"]),
    handlers: values.handlers ?? join(ROOT, "functions/handlers.ts"),
    externalHandlers: values["external-handlers"] ?? join(ROOT, EXTERNAL_HANDLERS_FILE),
    attach: parseAttach(values.attach ?? []),
    envFile: values["env-file"] ?? join(ROOT, ".env"),
    rotate: values.rotate ?? false,
    topic: values.topic,
    since: verb === "redeliver" ? parseSince(values.since) : undefined,
    yes: values.yes ?? false,
    json: values.json ?? false,
  };
}

type CommandLine = Exclude<ReturnType<typeof readCommandLine>, { help: true }>;

/**
 * The external side of a run: what the external handlers file implements and what it is attached to, or undefined
 * when it implements no kind (and for redeliver, and with --topic, which are about webhooks only).
 */
async function externalOf(command: CommandLine): Promise<ExternalSetup | undefined> {
  if (command.verb === "redeliver" || command.topic !== undefined) return undefined;
  const setup = await externalSetup(command.externalHandlers, command.attach, ROOT);
  if (setup.implemented.length > 0) return setup;
  if (command.externalUrl !== undefined) {
    warn(`${setup.handlersFile} implements no external kind: --external-url is not used`);
  }
  return undefined;
}

async function run(command: CommandLine): Promise<number> {
  const { verb, url, externalUrl, handlers, envFile, rotate, topic, json } = command;
  if (verb === "redeliver") {
    const cl = await connect(readCredentials(envFile));
    return redeliver(cl, topic, command.since ?? parseSince(undefined), command.yes);
  }
  // The files first: a file that does not load, or attachments that do not hold, cost no token.
  const planning = verb === "plan" || verb === "apply";
  const desired = planning && url !== undefined ? desiredWebhooks(await loadHandlers(handlers)) : undefined;
  for (const warning of desired?.warnings ?? []) warn(warning);
  const external = await externalOf(command);
  if (planning && desired === undefined && external === undefined) {
    throw new UsageError(`${verb} needs --url: the receiver's full URL, as the deploy printed it`);
  }
  const cl = await connect(readCredentials(envFile));
  const attached = external && (await readAttached(cl, external.attachments, external.attachmentsFile));

  switch (verb) {
    case "plan": {
      const plan = desired && url !== undefined ? await currentPlan(cl, desired, url, rotate) : undefined;
      const externalPlan =
        external && attached && makeExternalPlan(external, attached, externalUrl, readEnvFile(envFile));
      if (json) {
        printJson({
          ...(plan &&
            desired && { handlers: relative(ROOT, handlers) || handlers, warnings: desired.warnings, ...plan }),
          ...(externalPlan && { external: externalPlan }),
        });
        return 0;
      }
      if (plan) printPlan(plan);
      else say("Webhooks: not planned (no --url).");
      if (externalPlan) {
        printExternalPlan(externalPlan, envFile);
        say(externalSummary(externalPlan));
      }
      return 0;
    }
    case "apply":
      if (desired && url !== undefined) await apply(cl, desired, url, envFile, rotate);
      if (external && attached) applyExternal(external, attached, externalUrl, envFile);
      return 0;
    case "enable":
      return enableBoth(cl, command, attached);
    case "status":
      return status(cl, url, json, attached && externalStatuses(attached, externalUrl));
    default:
      return reset(cl, topic, attached);
  }
}

/**
 * The managed webhooks first, then the attached resources' URLs. Without --external-url the webhooks are enabled and
 * the resources left as they are, with a warning: what a deploy script runs after a deploy.
 */
async function enableBoth(cl: Client, command: CommandLine, attached: readonly AttachedResource[] | undefined) {
  const { topic, externalUrl, envFile } = command;
  if (attached === undefined) return enable(cl, topic);
  const managed = (await managedWebhooks(cl)).length;
  if (externalUrl === undefined && managed === 0) {
    throw new UsageError(
      "enable needs --external-url: where the external kinds are deployed (https://<host>/api/external), to point the attached resources at it",
    );
  }
  const code = managed > 0 ? await enable(cl, topic) : 0;
  if (externalUrl === undefined) {
    warn(
      "the attached external resources were left as they are: `enable --external-url <prefix>` points them at the deployment",
    );
    return code;
  }
  return Math.max(code, await enableExternal(cl, attached, externalUrl, envFile));
}

export async function main(argv: readonly string[]): Promise<number> {
  let command: ReturnType<typeof readCommandLine>;
  try {
    command = readCommandLine(argv);
  } catch (error) {
    process.stderr.write(`commercelayer: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command.help) {
    say(USAGE);
    return 0;
  }
  try {
    return await run(command);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`commercelayer: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    warn(describeFault(error));
    return error instanceof ConfigProblem ? 2 : 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  // Ctrl-C or a CI timeout: what was done stays done, and the next run finds it by its marker.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      warn(`interrupted (${signal}): what was done is kept; run the command again to finish (it converges)`);
      process.exit(130);
    });
  }
  process.exitCode = await main(process.argv.slice(2));
}
