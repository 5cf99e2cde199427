// `npm run send -- <topic>`: posts a signed delivery exactly as Commerce Layer would (same headers, Ruby-style compact
// JSON, HMAC-SHA256 over the bytes) to the local receiver or to any URL, and prints status and round-trip time.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { signPayload } from "../../src/core/signature.ts";
import { SEED_TOPICS } from "../../src/generated/topics.ts";
import { buildSampleDelivery } from "../samples/build.ts";
import { DEV_SECRET } from "./dev-secret.ts";

const LOCAL_PATHS: Record<string, string> = {
  vercel: "/vercel/api/webhooks/commercelayer",
  "aws-lambda": "/aws-lambda/webhooks/commercelayer",
  netlify: "/netlify/webhooks/commercelayer",
};

const USAGE = `Usage: npm run send -- <topic> [options]
       npm run send -- --all [options]

  <topic>              e.g. orders.place; any resource.event works (unknown ones get a generic sample)
  --all                send every one of the 36 original topics, then print a summary
  --url URL            where to post (default: the local receiver, http://127.0.0.1:$PORT, PORT default 3000)
  --platform NAME      which local path: vercel (default), aws-lambda, netlify
  --secret SECRET      signing secret (default: $COMMERCELAYER_WEBHOOK_SECRET, else the local development secret)
  --file PATH          send this file's bytes as the body instead of a generated sample
  --no-includes        leave out included resources, as a webhook without include_resources
  --seed N             vary ids and numbers (default 1)`;

interface SendResult {
  topic: string;
  status: number | "error";
  outcome: string;
  ms: number;
  bytes: number;
}

export function deliveryHeaders(topic: string, body: Uint8Array, secret: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": "CommerceLayer Module",
    "accept-encoding": "gzip",
    "x-commercelayer-topic": topic,
    "x-commercelayer-signature": signPayload(body, secret),
  };
}

async function send(url: string, topic: string, body: Buffer, secret: string): Promise<SendResult> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: deliveryHeaders(topic, body, secret),
      body: new Uint8Array(body),
    });
    const text = await response.text();
    let outcome = "";
    try {
      const parsed = JSON.parse(text) as { outcome?: string; error?: string };
      outcome = parsed.outcome ?? parsed.error ?? "";
    } catch {
      outcome = text.slice(0, 60);
    }
    return { topic, status: response.status, outcome, ms: performance.now() - started, bytes: body.length };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return {
      topic,
      status: "error",
      outcome: `no answer (${cause})`,
      ms: performance.now() - started,
      bytes: body.length,
    };
  }
}

function line(result: SendResult): string {
  return `${result.topic.padEnd(34)} ${String(result.status).padEnd(5)} ${result.outcome.padEnd(20)} ${result.ms.toFixed(1).padStart(7)} ms ${String(result.bytes).padStart(7)} bytes`;
}

const acknowledged = (result: SendResult) =>
  typeof result.status === "number" && result.status >= 200 && result.status < 300;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      all: { type: "boolean", default: false },
      url: { type: "string" },
      platform: { type: "string", default: "vercel" },
      secret: { type: "string" },
      file: { type: "string" },
      "no-includes": { type: "boolean", default: false },
      seed: { type: "string", default: "1" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const topics = values.all ? [...SEED_TOPICS] : positionals;
  if (values.help || topics.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const localPath = LOCAL_PATHS[values.platform];
  if (values.url === undefined && localPath === undefined) {
    console.error(`unknown --platform "${values.platform}": one of ${Object.keys(LOCAL_PATHS).join(", ")}`);
    return 2;
  }
  if (values.file !== undefined && topics.length !== 1) {
    console.error("--file sends one payload: give exactly one topic");
    return 2;
  }
  const url = values.url ?? `http://127.0.0.1:${process.env.PORT ?? "3000"}${localPath}`;
  const secret = values.secret ?? (process.env.COMMERCELAYER_WEBHOOK_SECRET?.split(",")[0]?.trim() || DEV_SECRET);
  const seed = Number(values.seed);

  console.log(`POST ${url}`);
  const results: SendResult[] = [];
  for (const topic of topics) {
    const body =
      values.file !== undefined
        ? readFileSync(values.file)
        : Buffer.from(buildSampleDelivery(topic, { includes: !values["no-includes"], seed }).body, "utf8");
    const result = await send(url, topic, body, secret);
    results.push(result);
    console.log(line(result));
  }
  const failed = results.filter((result) => !acknowledged(result));
  if (results.length > 1) {
    const byOutcome = new Map<string, number>();
    for (const result of results)
      byOutcome.set(
        `${result.status} ${result.outcome}`,
        (byOutcome.get(`${result.status} ${result.outcome}`) ?? 0) + 1,
      );
    console.log(
      `\nSummary: ${results.length} sent, ${results.length - failed.length} acknowledged, ${failed.length} not acknowledged`,
    );
    for (const [key, count] of [...byOutcome].sort()) console.log(`  ${String(count).padStart(3)} × ${key}`);
  }
  return failed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
