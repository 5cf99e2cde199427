// Serverless v3 variable resolver (serverless.yml: `custom.builtBundles: ${file(./infra/deploy/require-built-bundles.cjs)}`).
// Serverless runs no code of ours before packaging without a plugin, and with the bundles missing it stops with
// "No file matches include / exclude patterns", which does not say what to do. A `${file(x.cjs)}` variable is
// resolved before any command runs: this one fails with the fix when a command that ships the bundles finds them
// absent, and is a string ("present", "not needed") otherwise. CommonJS because Serverless v3 `require`s it.
const { existsSync } = require("node:fs");
const { join } = require("node:path");

// The files serverless.yml's `package.patterns` ship (`npm run build` writes them from functions/handlers.ts), and the
// external-resource function it includes (written from functions/external.ts; `{}` when that implements no kind).
const BUNDLES = [
  "dist/aws-lambda/commercelayer-webhook.mjs",
  "dist/aws-lambda/commercelayer-webhook-worker.mjs",
  "dist/aws-lambda/commercelayer-external.serverless.json",
];
const SERVICE_ROOT = join(__dirname, "..", "..");

/** `serverless package`, `deploy` (and `deploy function`), `invoke local` ship or run the bundles; `info`, `logs`, `remove`, `deploy list` do not. */
function commandNeedsBundles(argv) {
  const words = argv.filter((word) => !word.startsWith("-"));
  if (words.includes("package")) return true;
  if (words.includes("deploy")) return !words.includes("list");
  return words.includes("invoke") && words.includes("local");
}

module.exports = () => {
  const missing = BUNDLES.filter((bundle) => !existsSync(join(SERVICE_ROOT, bundle)));
  if (missing.length === 0) return "present";
  if (!commandNeedsBundles(process.argv.slice(2))) return "not needed";
  const listed = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(", ")} and ${missing.at(-1)}`;
  const error = new Error(`${listed} missing: run \`npm run build\` first`);
  // Serverless prints a resolver's error with its stack; the message alone is the useful part.
  error.stack = error.message;
  throw error;
};
