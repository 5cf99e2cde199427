// Per-delivery CPU time, in this process: each built bundle called through its platform's shape, against the floor
// (one HMAC-SHA256, one constant-time compare, one JSON.parse of the same bytes) and against what users pick today.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import { checkSignature, denormalizePayload } from "@commercelayer/sdk-utils";
import CryptoJS from "crypto-js";
import { callEntry, ENTRY_POINTS, type EntryName, platformInput, type SentRequest } from "../drive/entry-points.ts";
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

/** The benchmark's delivery as a sender posts it. */
const sent = (delivery: BenchDelivery): SentRequest => ({
  method: "POST",
  url: "https://example.com/webhooks/commercelayer",
  headers: delivery.headers,
  body: delivery.body,
});

export async function candidates(): Promise<Candidate[]> {
  // Each bundle as its platform calls it (infra/drive/entry-points.ts); inputs are built before the clock starts.
  const entry = async (name: EntryName, label: string): Promise<Candidate> => {
    const { bundle: path, exportName, shape } = ENTRY_POINTS[name];
    const call = (await bundle<Record<string, (...args: unknown[]) => Promise<unknown>>>(path))[exportName];
    if (call === undefined) throw new Error(`${path} does not export ${exportName}`);
    return {
      name: label,
      prepare: (d, n) => repeat(n, () => platformInput(shape, sent(d))),
      run: (input) => callEntry(call, shape, input as unknown[]),
    };
  };
  const bundles = await Promise.all([
    entry("aws-lambda", "aws-lambda bundle (HTTP API v2 event)"),
    entry("vercel", "vercel bundle (POST Request)"),
    entry("vercel-node", "vercel node bundle (req, res)"),
    entry("netlify", "netlify bundle (v2 Request)"),
    entry("netlify-legacy", "netlify legacy bundle (v1 event)"),
  ]);

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
      prepare: (d, n) =>
        repeat(n, () => [platformInput("web", sent(d))[0], d.headers["x-commercelayer-signature"] ?? ""] as const),
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
      prepare: (d, n) => repeat(n, () => platformInput("node", sent(d))),
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
    ...bundles,
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
 * candidate in turn, `samples` times, each round starting one candidate further on) so that a machine getting faster or slower affects every candidate alike, and
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
    // Each sample starts at another candidate: where a batch runs in the round (after which other batch, how long
    // after the last collection) moves its figure by a few per cent, so every candidate takes every place in turn.
    for (let turn = 0; turn < list.length; turn++) {
      const index = (sample + turn) % list.length;
      const candidate = list[index] as Candidate;
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
