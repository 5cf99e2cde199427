// `npm start`: builds the bundles and serves them on http://127.0.0.1:$PORT (default 3000), one path per platform,
// printing one readable line per delivery. Works with no configuration: without COMMERCELAYER_WEBHOOK_SECRET it uses
// a public development secret (and refuses to when NODE_ENV=production). `--handlers FILE` serves another handlers
// file than functions/handlers.ts, built into a temporary folder. It watches the sources and serves each rebuild on
// the same port; `--no-watch` serves the first build only (`--watch`, the default, is accepted too).
// It also serves every external resource through each platform's built external factory, with
// functions/external.ts's handlers and the demo's for the kinds it does not implement (infra/local/external-*.ts).
// At its root, a browser gets the local console (infra/local/console/): every request it served, live, with Replay and
// Send.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { buildBundles, bundlesAreFresh, HANDLERS_FILE } from "../build/build.ts";
import { createLocalConsole } from "./console/console.ts";
import { formatDeliveryLine, formatOtherJsonLine, parseDeliveryLine } from "./delivery-lines.ts";
import { chooseReceiverSecret } from "./dev-secret.ts";
import { parseExternalLine } from "./external-lines.ts";
import { type ExternalPlatforms, loadExternalPlatforms } from "./external-platforms.ts";
import { externalListing, fillExternalSecrets, servedByLine } from "./external-start.ts";
import { type LocalPlatform, type LocalPlatforms, loadLocalPlatforms } from "./platforms.ts";
import { createLocalServer } from "./server.ts";
import { typeCheckLoudly } from "./type-check.ts";
import { createRebuilder, describeBuildError, findBuildError, type Rebuilder, shownPath } from "./watch-rebuild.ts";
import { type SourceWatcher, watchSources } from "./watch-sources.ts";

const ROOT = new URL("../..", import.meta.url);
const HOST = "127.0.0.1";

const USAGE =
  "usage: npm start -- [--handlers FILE] [--external-handlers FILE] [--env-file FILE] [--watch | --no-watch]";

/** Editors save in bursts of writes: a rebuild starts once the sources have been quiet this long. */
const QUIET_MS = 150;

interface StartOptions {
  readonly handlers: string | undefined;
  readonly externalHandlers: string | undefined;
  readonly envFile: string | undefined;
  readonly watch: boolean;
}

function readOptions(): StartOptions {
  try {
    const { values, tokens } = parseArgs({
      options: {
        handlers: { type: "string" },
        "external-handlers": { type: "string" },
        "env-file": { type: "string" },
        watch: { type: "boolean" },
        "no-watch": { type: "boolean" },
      },
      tokens: true,
    });
    // Watching is the default; of --watch and --no-watch, the last one given wins.
    const last = tokens
      .filter((token) => token.kind === "option" && (token.name === "watch" || token.name === "no-watch"))
      .at(-1);
    return {
      handlers: values.handlers,
      externalHandlers: values["external-handlers"],
      envFile: values["env-file"],
      watch: last?.kind !== "option" || last.name === "watch",
    };
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(1);
  }
}

/** Builds the bundles, or stops with the first build error on one line (not esbuild's full report, once per bundle). */
async function buildOrExit(handlersFile: string, externalFile: string | undefined, outRoot?: string): Promise<void> {
  const problem = await findBuildError(handlersFile);
  if (problem !== undefined) {
    console.error(`cannot build the bundles: ${problem}`);
    process.exit(1);
  }
  try {
    await buildBundles({
      declarations: false,
      handlersFile,
      ...(externalFile === undefined ? {} : { externalHandlersFile: externalFile }),
      ...(outRoot === undefined ? {} : { outRoot }),
    });
  } catch (error) {
    // functions/external.ts that does not load, or names no kind: one line, as for the handlers file.
    console.error(`cannot build the bundles: ${describeBuildError(error)}`);
    process.exit(1);
  }
}

/**
 * Rebuilds on a change to what the bundles are built from: shared/, functions/ and the handlers file's folder. infra/build is
 * watched only to say that it needs a restart: this process loaded the build code once.
 */
function watchAndRebuild(handlersFile: string, externalFile: string, rebuilder: Rebuilder): SourceWatcher {
  const root = fileURLToPath(ROOT);
  // functions/ holds the entry points, the external handlers and the demo; a handlers file elsewhere (--handlers) is
  // watched in its own folder.
  const functions = join(root, "functions");
  const outside = [dirname(handlersFile), dirname(externalFile)].filter(
    (folder) => folder !== functions && !folder.startsWith(`${functions}/`),
  );
  const buildTooling = join(root, "infra/build");
  const watcher = watchSources(
    [
      { path: join(root, "shared"), recursive: true },
      { path: functions, recursive: true },
      ...[...new Set(outside)].map((path) => ({ path, recursive: false })),
      { path: buildTooling, recursive: true },
    ],
    {
      quietMs: QUIET_MS,
      onChange(files) {
        const tooling = files.filter((file) => file.startsWith(`${buildTooling}/`));
        if (tooling.length > 0)
          console.log(`${tooling.map(shownPath).join(", ")} changed: restart npm start to build with it`);
        const sources = files.filter((file) => !file.startsWith(`${buildTooling}/`));
        if (sources.length > 0) rebuilder.rebuild(sources);
      },
    },
  );
  console.log(
    `Watching shared/, functions/${outside.length > 0 ? ` and ${[...new Set(outside)].map(shownPath).join(", ")}/` : ""}: a change rebuilds the bundles (--no-watch: off)`,
  );
  return watcher;
}

function readPort(): number {
  const raw = process.env.PORT ?? "3000";
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a port number, got "${raw}"`);
    process.exit(1);
  }
  return port;
}

/** The bundles log JSON (for CloudWatch and friends); here each delivery becomes one line a person can read. */
function printDeliveriesReadably(): void {
  const original = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    const [first] = args;
    if (typeof first !== "string" || args.length !== 1) return original(...args);
    const entry = parseDeliveryLine(first) ?? parseExternalLine(first);
    original(
      entry === undefined ? (formatOtherJsonLine(first) ?? first) : formatDeliveryLine(entry, entry.platform ?? "?"),
    );
  };
}

/**
 * The project's `.env` (where `npm run commercelayer -- apply` writes the secrets bound to topics), or `--env-file`,
 * with Node's own reader: what the shell already sets wins. Only the file's name is printed, never a value.
 */
function readEnvFile(given: string | undefined): void {
  const file = given === undefined ? join(fileURLToPath(ROOT), ".env") : resolve(given);
  if (!existsSync(file)) {
    if (given === undefined) return;
    console.error(`--env-file ${given}: no such file`);
    process.exit(1);
  }
  process.loadEnvFile(file);
  console.log(`read ${given ?? ".env"} (the shell's own variables win)`);
}

async function main(): Promise<void> {
  const options = readOptions();
  readEnvFile(options.envFile);
  const secret = chooseReceiverSecret(process.env);
  if (secret.kind === "refused") {
    console.error(secret.message);
    process.exit(1);
  }
  if (secret.kind === "development") {
    process.env.COMMERCELAYER_WEBHOOK_SECRET = secret.secret;
    console.warn(
      [
        "!".repeat(78),
        "!! COMMERCELAYER_WEBHOOK_SECRET is not set: using the PUBLIC development secret.",
        "!! Fine for `npm run send`; set the real shared secret to receive real deliveries.",
        "!".repeat(78),
      ].join("\n"),
    );
  }

  fillExternalSecrets(process.env);

  const handlersFile = resolve(options.handlers ?? join(fileURLToPath(ROOT), HANDLERS_FILE));
  const externalFile = options.externalHandlers === undefined ? undefined : resolve(options.externalHandlers);
  let served = ROOT;
  if (options.handlers !== undefined) {
    // Another handlers file (the suites serve their own fixtures): built into a folder of its own, dist/ untouched.
    // Inside the repository, so that the bundles' external imports (@aws-sdk/client-sqs) resolve from node_modules.
    mkdirSync(join(fileURLToPath(ROOT), ".test-build"), { recursive: true });
    served = pathToFileURL(`${mkdtempSync(join(fileURLToPath(ROOT), ".test-build", "local-"))}/`);
    await buildOrExit(handlersFile, externalFile, fileURLToPath(served));
    console.log(`built the bundles from ${options.handlers}`);
  } else if (bundlesAreFresh()) console.log("dist/ is up to date with the sources: serving it as it is");
  else {
    await buildOrExit(handlersFile, externalFile);
    console.log("built dist/ from the sources");
  }
  const port = readPort();
  // The console first: the platforms' deferred runs report to it. It reads the platforms once they are loaded.
  const loaded: { webhooks: readonly LocalPlatform[]; external: readonly LocalPlatform[] } = {
    webhooks: [],
    external: [],
  };
  const localConsole = createLocalConsole({ webhooks: () => loaded.webhooks, external: () => loaded.external });
  const local: LocalPlatforms = await loadLocalPlatforms(served, { aroundDeferred: localConsole.aroundDeferred });
  const { platforms } = local;
  let external: ExternalPlatforms;
  try {
    // --external-handlers: another file exporting `externalHandlers` than functions/external.ts (the suites' own).
    external = await loadExternalPlatforms(served, externalFile);
  } catch (error) {
    await local.stop();
    console.error(`cannot serve the external resources: ${(error as Error).message.split("\n")[0]}`);
    process.exit(1);
  }
  loaded.webhooks = platforms;
  loaded.external = external.platforms;
  // A rebuild swaps the external factories and handler files in too; the external ones first, since they can fail.
  const reloadBoth = async (next: URL) => {
    const before = servedByLine(external);
    await external.reload(next);
    if (servedByLine(external) !== before) console.log(servedByLine(external));
    await local.reload(next);
  };
  // Each rebuild is written where the first build was (dist/ for functions/handlers.ts) and swapped in behind the
  // same server: the port stays, and a build that fails leaves the last good one answering.
  const checkHandlers = () => void typeCheckLoudly([handlersFile, external.file]);
  checkHandlers();
  const rebuilder = options.watch
    ? createRebuilder({
        handlersFile,
        externalFile: external.file,
        served,
        platforms: { ...local, reload: reloadBoth },
        afterBuild: checkHandlers,
      })
    : undefined;
  const watcher = rebuilder === undefined ? undefined : watchAndRebuild(handlersFile, external.file, rebuilder);
  const server = createLocalServer(
    [...platforms, ...external.platforms],
    `http://${HOST}:${port}`,
    localConsole.serverHooks,
  );
  server.on("error", (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === "EADDRINUSE"
        ? `port ${port} is in use: set PORT to another one`
        : `cannot listen: ${error.message}`,
    );
    process.exit(1);
  });
  server.listen(port, HOST, () => {
    const address = server.address();
    const actual = typeof address === "object" && address !== null ? address.port : port;
    const base = `http://${HOST}:${actual}`;
    console.log(`Console: ${base}/  (open it in a browser: every delivery live, Replay, Send)`);
    console.log(`Commerce Layer webhook receiver listening on ${base}`);
    for (const platform of platforms.filter((candidate) => !candidate.internal))
      console.log(`  ${platform.name.padEnd(11)} POST ${base}${platform.path}`);
    console.log(
      `Send a delivery: npm run send -- orders.place${actual === 3000 ? "" : ` --url ${base}${platforms[0]?.path}`}`,
    );
    for (const line of externalListing(base, external)) console.log(line);
    console.log(
      `Call one: npm run send -- --external tax-calculator${actual === 3000 ? "" : ` --url ${base}/vercel/api/external`} (--external all: every kind)`,
    );
    console.log("Ctrl-C stops it.\n");
    printDeliveriesReadably();
    // After the readable lines' wrapper: the console keeps each line as the bundle wrote it (JSON).
    localConsole.captureLogs();
  });

  const removeBuild = () => {
    if (served !== ROOT) rmSync(fileURLToPath(served), { recursive: true, force: true });
  };
  const stop = (signal: string) => {
    console.log(`\n${signal}: stopping`);
    watcher?.close();
    localConsole.close();
    server.close(
      () =>
        void (rebuilder?.idle() ?? Promise.resolve())
          .then(() => local.stop())
          .finally(() => {
            removeBuild();
            process.exit(0);
          }),
    );
    server.closeAllConnections();
  };
  // Ctrl-C (or a SIGTERM to the process group) reaches npm, tsx and this process at once, and tsx may pass it on a
  // second time: a repeat within a second is that echo, and must not end the process before it has cleaned up. A
  // later one means "now": the temporary build is removed and it exits without waiting for the rest.
  let stoppingSince: number | undefined;
  const onSignal = (signal: string) => {
    if (stoppingSince === undefined) {
      stoppingSince = Date.now();
      stop(signal);
    } else if (Date.now() - stoppingSince > 1000) {
      removeBuild();
      process.exit(1);
    }
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
}

await main();
