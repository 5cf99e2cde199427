// `npm start`: builds the bundles and serves them on http://127.0.0.1:$PORT (default 3000), one path per platform,
// printing one readable line per delivery. Works with no configuration: without COMMERCELAYER_WEBHOOK_SECRET it uses
// a public development secret (and refuses to when NODE_ENV=production). `--handlers FILE` serves another handlers
// file than functions/handlers.ts, built into a temporary folder.

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { buildBundles, bundlesAreFresh } from "../build/build.ts";
import { formatDeliveryLine, formatOtherJsonLine, parseDeliveryLine } from "./delivery-lines.ts";
import { chooseReceiverSecret } from "./dev-secret.ts";
import { loadLocalPlatforms } from "./platforms.ts";
import { createLocalServer } from "./server.ts";

const ROOT = new URL("../../", import.meta.url);
const HOST = "127.0.0.1";

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
    const entry = parseDeliveryLine(first);
    original(
      entry === undefined ? (formatOtherJsonLine(first) ?? first) : formatDeliveryLine(entry, entry.platform ?? "?"),
    );
  };
}

async function main(): Promise<void> {
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

  const { values } = parseArgs({ options: { handlers: { type: "string" } } });
  let served = ROOT;
  if (values.handlers !== undefined) {
    // Another handlers file (the suites serve their own fixtures): built into a folder of its own, dist/ untouched.
    // Inside the repository, so that the bundles' external imports (@aws-sdk/client-sqs) resolve from node_modules.
    mkdirSync(join(fileURLToPath(ROOT), ".test-build"), { recursive: true });
    served = pathToFileURL(`${mkdtempSync(join(fileURLToPath(ROOT), ".test-build", "local-"))}/`);
    await buildBundles({ declarations: false, handlersFile: resolve(values.handlers), outRoot: fileURLToPath(served) });
    console.log(`built the bundles from ${values.handlers}`);
  } else if (bundlesAreFresh()) console.log("dist/ is up to date with the sources: serving it as it is");
  else {
    await buildBundles({ declarations: false });
    console.log("built dist/ from the sources");
  }
  const port = readPort();
  const { platforms, stop: stopDeferred } = await loadLocalPlatforms(served);
  const server = createLocalServer(platforms, `http://${HOST}:${port}`);
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
    console.log(`Commerce Layer webhook receiver listening on ${base}`);
    for (const platform of platforms.filter((candidate) => !candidate.internal))
      console.log(`  ${platform.name.padEnd(11)} POST ${base}${platform.path}`);
    console.log(
      `Send a delivery: npm run send -- orders.place${actual === 3000 ? "" : ` --url ${base}${platforms[0]?.path}`}`,
    );
    console.log("Ctrl-C stops it.\n");
    printDeliveriesReadably();
  });

  const stop = (signal: string) => {
    console.log(`\n${signal}: stopping`);
    server.close(
      () =>
        void stopDeferred().finally(() => {
          if (served !== ROOT) rmSync(fileURLToPath(served), { recursive: true, force: true });
          process.exit(0);
        }),
    );
    server.closeAllConnections();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

await main();
