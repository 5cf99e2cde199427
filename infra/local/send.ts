// `npm run send -- <topic>`: posts a signed delivery exactly as Commerce Layer would (same headers, Ruby-style compact
// JSON, HMAC-SHA256 over the bytes) to the local receiver or to any URL, and prints status and round-trip time. It
// says which secret signed (never its value), warns about topics Commerce Layer never sends, explains a 401, and
// refuses to count an answer that did not come from the receiver. `--print` shows the request and a curl command
// instead of sending. `--external <kind>` (or a kind as the argument) calls an external resource instead
// (send-external.ts).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { SEED_TOPICS } from "../../shared/generated/topics.ts";
import { buildSampleDelivery } from "../samples/build.ts";
import { diagnose, type ReadAnswer, readAnswer } from "./send-answer.ts";
import { isExternalKind, sendExternal } from "./send-external.ts";
import { bodyFileFor, printedRequest } from "./send-print.ts";
import {
  COMMERCE_LAYER_CONTENT_TYPE,
  type DeliveryRequest,
  deliveryRequest,
  explainNoAnswer,
  noAnswerCause,
} from "./send-request.ts";
import { chooseSigningSecret, describeSecretSource, type SigningSecret } from "./send-secret.ts";
import { unknownTopicWarning } from "./send-topics.ts";

const LOCAL_PATHS: Record<string, string> = {
  vercel: "/vercel/api/webhooks/commercelayer",
  "aws-lambda": "/aws-lambda/webhooks/commercelayer",
  netlify: "/netlify/webhooks/commercelayer",
};

const USAGE = `Usage: npm run send -- <topic> [options]
       npm run send -- --all [options]
       npm run send -- --external <kind|all> [options]   (or: npm run send -- <kind>)

  <topic>              e.g. orders.place; any resource.event works (unknown ones get a generic sample and a warning
                       naming the closest Commerce Layer topic)
  --all                send every one of the 36 original topics, then print a summary
  --external KIND      call an external resource with a signed sample: payment-gateway/authorize, .../capture,
                       .../void, .../refund, .../customer-token, tax-calculator, prices, shipping-costs,
                       order-validation, promotion; 'all' calls each once. Signed with the kind's own secret
                       (--secret, else its variable, e.g. COMMERCELAYER_TAX_CALCULATOR_SECRET, else its development
                       secret); --url is the kind's URL or a base the kind is appended to
  --url URL            where to post (default: the local receiver, http://127.0.0.1:$PORT, PORT default 3000)
  --platform NAME      which local path: vercel (default), aws-lambda, netlify
  --secret SECRET      signing secret (default: the first of $COMMERCELAYER_WEBHOOK_SECRET, else the local
                       development secret); send prints which one it used, never its value
  --file PATH          send this file's bytes as the body instead of a generated sample
  --no-includes        leave out included resources, as a webhook without include_resources
  --seed N             vary ids and numbers (default 1)
  --content-type TYPE  send this Content-Type instead of Commerce Layer's application/json; '' sends none
  --no-content-type    send no Content-Type header (as --content-type '')
  --print              send nothing: print the headers and body, and a curl command that sends the same bytes
  -h, --help           this text

Exit code: 0 when every delivery got the receiver's 2xx answer, 1 otherwise, 2 for a usage error.`;

interface SendResult {
  readonly topic: string;
  readonly status: number | "error";
  readonly answer: ReadAnswer | undefined;
  /** The outcome column: the receiver's outcome or error, or what else happened. */
  readonly outcome: string;
  /** Why nothing answered (`ECONNREFUSED`...), when nothing did. */
  readonly cause?: string;
  readonly ms: number;
  readonly bytes: number;
}

async function send(request: DeliveryRequest): Promise<SendResult> {
  const started = performance.now();
  const { topic, body } = request;
  try {
    const response = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: new Uint8Array(body),
    });
    const answer = readAnswer(response.status, response.headers.get("content-type"), await response.text());
    const outcome =
      answer.from === "elsewhere" ? "not the receiver's answer" : "outcome" in answer ? answer.outcome : answer.error;
    return { topic, status: response.status, answer, outcome, ms: performance.now() - started, bytes: body.length };
  } catch (error) {
    const cause = noAnswerCause(error);
    const outcome = `no answer (${cause})`;
    const ms = performance.now() - started;
    return { topic, status: "error", answer: undefined, outcome, cause, ms, bytes: body.length };
  }
}

function line(result: SendResult): string {
  return `${result.topic.padEnd(34)} ${String(result.status).padEnd(5)} ${result.outcome.padEnd(20)} ${result.ms.toFixed(1).padStart(7)} ms ${String(result.bytes).padStart(7)} bytes`;
}

/** Acknowledged: a 2xx that is the receiver's own answer (a 2xx from anything else acknowledges nothing). */
const acknowledged = (result: SendResult) =>
  typeof result.status === "number" &&
  result.status >= 200 &&
  result.status < 300 &&
  result.answer?.from === "receiver" &&
  "outcome" in result.answer;

function printSummary(results: readonly SendResult[], failed: number): void {
  const byOutcome = new Map<string, number>();
  for (const result of results) {
    const key = `${result.status} ${result.outcome}`;
    byOutcome.set(key, (byOutcome.get(key) ?? 0) + 1);
  }
  console.log(`\nSummary: ${results.length} sent, ${results.length - failed} acknowledged, ${failed} not acknowledged`);
  for (const [key, count] of [...byOutcome].sort()) console.log(`  ${String(count).padStart(3)} × ${key}`);
}

/** The Content-Type to send; undefined for none, or a usage error. */
function chosenContentType(value: string | undefined, none: boolean): string | undefined | Error {
  if (none && value !== undefined && value !== "")
    return new Error("--no-content-type and --content-type TYPE contradict each other: give one");
  if (none || value === "") return undefined;
  return value ?? COMMERCE_LAYER_CONTENT_TYPE;
}

function usageError(message: string): number {
  console.error(`${message}\n\n${USAGE}`);
  return 2;
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      all: { type: "boolean", default: false },
      external: { type: "string" },
      url: { type: "string" },
      platform: { type: "string", default: "vercel" },
      secret: { type: "string" },
      file: { type: "string" },
      "no-includes": { type: "boolean", default: false },
      seed: { type: "string", default: "1" },
      "content-type": { type: "string" },
      "no-content-type": { type: "boolean", default: false },
      print: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const topics = values.all ? [...SEED_TOPICS] : positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // A kind has no dot and a topic always has one: `npm run send -- tax-calculator` is an external call.
  const externalKinds =
    values.external !== undefined
      ? [values.external, ...positionals]
      : positionals.length > 0 && positionals.every(isExternalKind)
        ? positionals
        : undefined;
  if (externalKinds !== undefined) {
    const seed = Number(values.seed);
    if (!Number.isInteger(seed)) return usageError(`--seed must be a whole number, got "${values.seed}"`);
    let fileBody: Buffer | undefined;
    try {
      fileBody = values.file === undefined ? undefined : readFileSync(values.file);
    } catch (error) {
      return usageError(`--file: ${(error as Error).message}`);
    }
    const { url, platform, secret, print, file: userFile } = values;
    return sendExternal({ kinds: externalKinds, url, platform, secret, seed, fileBody, userFile, print });
  }
  if (topics.length === 0) return usageError("give a topic, or --all");
  const localPath = LOCAL_PATHS[values.platform];
  if (values.url === undefined && localPath === undefined)
    return usageError(`unknown --platform "${values.platform}": one of ${Object.keys(LOCAL_PATHS).join(", ")}`);
  if (values.file !== undefined && topics.length !== 1)
    return usageError("--file sends one payload: give exactly one topic");
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) return usageError(`--seed must be a whole number, got "${values.seed}"`);
  const contentType = chosenContentType(values["content-type"], values["no-content-type"]);
  if (contentType instanceof Error) return usageError(contentType.message);
  let fileBody: Buffer | undefined;
  try {
    fileBody = values.file === undefined ? undefined : readFileSync(values.file);
  } catch (error) {
    return usageError(`--file: ${(error as Error).message}`);
  }

  const url = values.url ?? `http://127.0.0.1:${process.env.PORT ?? "3000"}${localPath}`;
  const secret: SigningSecret = chooseSigningSecret(values.secret, process.env);
  // --all sends only topics Commerce Layer sends; a topic typed by hand may be a typo.
  if (!values.all)
    for (const topic of topics) {
      const warning = unknownTopicWarning(topic);
      if (warning !== undefined) console.error(warning);
    }

  console.log(`POST ${url}${values.print ? "   (--print: nothing is sent)" : ""}`);
  console.log(describeSecretSource(secret.source));
  if (contentType !== COMMERCE_LAYER_CONTENT_TYPE)
    console.log(
      `${contentType === undefined ? "no content-type header" : `content-type: ${contentType}`} (Commerce Layer sends ${COMMERCE_LAYER_CONTENT_TYPE})`,
    );

  const requests = topics.map((topic) => {
    const body =
      fileBody ?? Buffer.from(buildSampleDelivery(topic, { includes: !values["no-includes"], seed }).body, "utf8");
    return deliveryRequest(url, topic, body, secret.value, contentType);
  });
  if (values.print) {
    for (const request of requests) console.log(`\n${printedRequest(request, bodyFileFor(request, values.file))}`);
    return 0;
  }

  const results: SendResult[] = [];
  // Each explanation once: a wrong secret under --all would otherwise repeat it 36 times.
  const explained = new Set<string>();
  for (const request of requests) {
    const result = await send(request);
    results.push(result);
    console.log(line(result));
    if (result.answer === undefined || typeof result.status !== "number") {
      const hint = result.cause === undefined ? undefined : explainNoAnswer(request.url, result.cause);
      if (hint !== undefined && !explained.has(hint)) {
        explained.add(hint);
        console.error(hint);
      }
      continue;
    }
    const key = `${result.status} ${result.outcome} ${result.answer.from === "elsewhere" ? result.answer.description : ""}`;
    if (explained.has(key)) continue;
    const lines = diagnose({
      status: result.status,
      answer: result.answer,
      secretSource: secret.source,
      bytes: result.bytes,
      contentType,
    });
    if (lines.length > 0) {
      explained.add(key);
      console.error(lines.join("\n"));
    }
  }
  const failed = results.filter((result) => !acknowledged(result)).length;
  if (results.length > 1) printSummary(results, failed);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
