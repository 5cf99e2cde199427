// Per-delivery CPU time, in this process: each built bundle called through its platform's shape, against the floor
// (one HMAC-SHA256, one constant-time compare, one JSON.parse of the same bytes) and against what users pick today.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pathToFileURL } from "node:url";
import { checkSignature, denormalizePayload } from "@commercelayer/sdk-utils";
import CryptoJS from "crypto-js";
import { lambdaEvent } from "../drive/lambda-events.ts";
import { BENCH_ROOT } from "./bench-build.ts";
import { BENCH_SECRET, type BenchDelivery } from "./fixtures.ts";
import { median } from "./stats.ts";

export interface Candidate {
  readonly name: string;
  readonly note?: string;
  /** Inputs for `count` calls, made before the clock starts (a Request's body can be read once). */
  prepare(delivery: BenchDelivery, count: number): unknown[];
  run(input: unknown): unknown;
}

export interface CpuResult {
  readonly name: string;
  readonly delivery: string;
  readonly medianMicros: number;
  readonly minMicros: number;
  readonly samples: number;
  readonly note?: string;
}

const repeat = <T>(count: number, make: () => T): T[] => Array.from({ length: count }, make);

async function bundle<T>(path: string): Promise<T> {
  return (await import(pathToFileURL(`${BENCH_ROOT}${path}`).href)) as T;
}

function webRequest(delivery: BenchDelivery): Request {
  return new Request("https://example.com/webhooks/commercelayer", {
    method: "POST",
    headers: delivery.headers,
    body: new Uint8Array(delivery.body),
  });
}

const post = (delivery: BenchDelivery) => ({ method: "POST", headers: delivery.headers, body: delivery.body });
const httpApiV2 = (delivery: BenchDelivery) => lambdaEvent("http-api-v2", post(delivery), false);
/** Netlify's legacy functions get the REST (v1) event shape. */
const netlifyLegacyEvent = (delivery: BenchDelivery) => lambdaEvent("rest-v1", post(delivery), false);

/** An IncomingMessage stand-in (a readable stream with method and headers) and a response that discards. */
function nodePair(delivery: BenchDelivery): [IncomingMessage, ServerResponse] {
  const req = Object.assign(Readable.from([delivery.body], { objectMode: false }), {
    method: "POST",
    headers: delivery.headers,
  });
  const res = { statusCode: 0, setHeader() {}, end() {}, once() {} };
  return [req as unknown as IncomingMessage, res as unknown as ServerResponse];
}

export async function candidates(): Promise<Candidate[]> {
  type Web = (request: Request, context?: unknown) => Promise<Response>;
  type Event = (event: unknown, context?: unknown) => Promise<unknown>;
  const lambda = await bundle<{ handler: Event }>("dist/aws-lambda/commercelayer-webhook.mjs");
  const vercel = await bundle<{ POST: Web }>("dist/vercel/commercelayer-webhook.mjs");
  const vercelNode = await bundle<{ default: (req: IncomingMessage, res: ServerResponse) => Promise<void> }>(
    "dist/vercel/commercelayer-webhook-node.mjs",
  );
  const netlify = await bundle<{ default: Web }>("dist/netlify/commercelayer-webhook.mjs");
  const netlifyLegacy = await bundle<{ handler: Event }>("dist/netlify/commercelayer-webhook-legacy.mjs");

  return [
    {
      name: "floor: HMAC + compare + JSON.parse",
      prepare: (delivery, count) => repeat(count, () => delivery),
      run(input) {
        const delivery = input as BenchDelivery;
        const expected = Buffer.from(createHmac("sha256", BENCH_SECRET).update(delivery.body).digest("base64"));
        const received = Buffer.from(delivery.headers["x-commercelayer-signature"] ?? "");
        if (expected.length !== received.length || !timingSafeEqual(expected, received))
          throw new Error("floor: bad signature");
        return JSON.parse(delivery.body.toString("utf8"));
      },
    },
    {
      name: "Web floor: arrayBuffer() + floor + new Response()",
      note: "what any Web-standard handler must pay: read the Request body, answer a Response",
      prepare: (d, n) => repeat(n, () => [webRequest(d), d.headers["x-commercelayer-signature"] ?? ""] as const),
      async run(input) {
        const [request, signature] = input as readonly [Request, string];
        const body = Buffer.from(await request.arrayBuffer());
        const expected = Buffer.from(createHmac("sha256", BENCH_SECRET).update(body).digest("base64"));
        const received = Buffer.from(signature);
        if (expected.length !== received.length || !timingSafeEqual(expected, received))
          throw new Error("floor: bad signature");
        JSON.parse(body.toString("utf8"));
        return new Response('{"received":true}', { status: 200, headers: { "content-type": "application/json" } });
      },
    },
    {
      name: "Node floor: read the request stream + floor",
      note: "what any (req, res) handler must pay: collect the body's chunks",
      prepare: (d, n) => repeat(n, () => nodePair(d)),
      async run(input) {
        const [req] = input as [IncomingMessage, ServerResponse];
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = Buffer.concat(chunks);
        const expected = Buffer.from(createHmac("sha256", BENCH_SECRET).update(body).digest("base64"));
        const received = Buffer.from(String(req.headers["x-commercelayer-signature"] ?? ""));
        if (expected.length !== received.length || !timingSafeEqual(expected, received))
          throw new Error("floor: bad signature");
        return JSON.parse(body.toString("utf8"));
      },
    },
    {
      name: "aws-lambda bundle (HTTP API v2 event)",
      prepare: (d, n) => repeat(n, () => httpApiV2(d)),
      run: (event) => lambda.handler(event, {}),
    },
    {
      name: "vercel bundle (POST Request)",
      prepare: (d, n) => repeat(n, () => webRequest(d)),
      run: (request) => vercel.POST(request as Request),
    },
    {
      name: "vercel node bundle (req, res)",
      prepare: (d, n) => repeat(n, () => nodePair(d)),
      run: (pair) => vercelNode.default(...(pair as [IncomingMessage, ServerResponse])),
    },
    {
      name: "netlify bundle (v2 Request)",
      prepare: (d, n) => repeat(n, () => webRequest(d)),
      run: (request) => netlify.default(request as Request, {}),
    },
    {
      name: "netlify legacy bundle (v1 event)",
      prepare: (d, n) => repeat(n, () => netlifyLegacyEvent(d)),
      run: (event) => netlifyLegacy.handler(event, {}),
    },
    {
      name: "@commercelayer/sdk-utils checkSignature + denormalizePayload",
      prepare: (d, n) => repeat(n, () => d),
      run(input) {
        const delivery = input as BenchDelivery;
        const text = delivery.body.toString("utf8");
        if (!checkSignature(text, delivery.headers, BENCH_SECRET).ok) throw new Error("sdk-utils: bad signature");
        return denormalizePayload(text);
      },
    },
    {
      name: "docs sample: crypto-js over JSON.stringify(parsed body)",
      note: "re-serializes the body, so it rejects genuine deliveries with Ruby-style floats",
      prepare: (d, n) => repeat(n, () => d),
      run(input) {
        const delivery = input as BenchDelivery;
        const parsed = JSON.parse(delivery.body.toString("utf8"));
        const signature = CryptoJS.HmacSHA256(JSON.stringify(parsed), BENCH_SECRET).toString(CryptoJS.enc.Base64);
        return signature === delivery.headers["x-commercelayer-signature"];
      },
    },
  ];
}

/**
 * CPU microseconds per call for every candidate on one delivery. Samples are interleaved (one batch of each
 * candidate in turn, `samples` times) so that a machine getting faster or slower affects every candidate alike, and
 * each candidate's ratio to the first one (the floor) is taken sample by sample, then the median.
 */
export async function measureAll(
  list: readonly Candidate[],
  delivery: BenchDelivery,
  samples = 21,
  batch = 200,
): Promise<(CpuResult & { ratio: number })[]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const runBatch = async (candidate: Candidate, inputs: unknown[]) => {
    for (const input of inputs) {
      const result = candidate.run(input);
      if (result instanceof Promise) await result;
    }
  };
  for (const candidate of list) await runBatch(candidate, candidate.prepare(delivery, batch * 2));
  const perCall = list.map(() => [] as number[]);
  for (let sample = 0; sample < samples; sample++) {
    for (const [index, candidate] of list.entries()) {
      const inputs = candidate.prepare(delivery, batch);
      gc?.();
      const started = process.cpuUsage();
      await runBatch(candidate, inputs);
      const used = process.cpuUsage(started);
      perCall[index]?.push((used.user + used.system) / batch);
    }
  }
  const baseline = perCall[0] ?? [];
  return list.map((candidate, index) => {
    const values = perCall[index] ?? [];
    return {
      name: candidate.name,
      delivery: delivery.label,
      medianMicros: Math.round(median(values) * 10) / 10,
      minMicros: Math.round(Math.min(...values) * 10) / 10,
      samples,
      ratio: Math.round(median(values.map((value, i) => value / (baseline[i] ?? value))) * 100) / 100,
      ...(candidate.note ? { note: candidate.note } : {}),
    };
  });
}
