// External resources in `npm run bench`: the deployable bundles (built from infra/bench/bench-external-handlers.ts)
// called as their platform calls them, at their deployed paths, on realistic signed samples (infra/samples/
// external.ts), against floors measured in the same run: the least any receiver must do (one HMAC-SHA256, one
// constant-time compare, one JSON.parse of the body, one JSON.stringify of a small answer), and that plus reading a
// Web Request's body and answering a Response.
import { createHmac, timingSafeEqual } from "node:crypto";
import { pathToFileURL } from "node:url";
import { EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { signPayload } from "../../shared/node/signature.ts";
import { deployedExternalPath, type ExternalPlatformName } from "../build/external-deploy.ts";
import { callEntry, type EntryShape, platformInput, type SentRequest } from "../drive/entry-points.ts";
import { buildExternalSample } from "../samples/external.ts";
import { BENCH_ROOT } from "./bench-build.ts";
import { BENCH_SECRET, type BenchDelivery } from "./fixtures.ts";
import type { Candidate } from "./per-delivery.ts";

/** The kinds measured: the smallest document (an order for taxes) and the one with the most includes (a payment). */
export const BENCH_EXTERNAL_KINDS: readonly ExternalKind[] = ["tax-calculator", "payment-gateway/authorize"];

/** Each kind's variable set to the bench secret, as a deployed function's environment would hold it. */
export function setBenchExternalSecrets(): void {
  for (const kind of BENCH_EXTERNAL_KINDS) process.env[EXTERNAL_KINDS[kind].secretEnv] = BENCH_SECRET;
}

/** Commerce Layer's call for each measured kind, signed with the bench secret (`topic` holds the kind). */
export function benchExternalCalls(): BenchDelivery[] {
  return BENCH_EXTERNAL_KINDS.map((kind) => {
    const body = Buffer.from(buildExternalSample(kind).body, "utf8");
    return {
      label: `${kind} (${(body.length / 1024).toFixed(1)} KB)`,
      topic: kind,
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": "CommerceLayer Module",
        "x-commercelayer-signature": signPayload(body, BENCH_SECRET),
      },
    };
  });
}

const repeat = <T>(count: number, make: () => T): T[] => Array.from({ length: count }, make);

const sent = (call: BenchDelivery, platform: ExternalPlatformName): SentRequest => ({
  method: "POST",
  url: `https://example.com${deployedExternalPath(platform, call.topic as ExternalKind)}`,
  headers: call.headers,
  body: call.body,
});

/** What the floors verify and parse, then answer. */
function verifiedAnswer(body: Buffer, signature: string): string {
  const expected = Buffer.from(createHmac("sha256", BENCH_SECRET).update(body).digest("base64"));
  const received = Buffer.from(signature);
  if (expected.length !== received.length || !timingSafeEqual(expected, received))
    throw new Error("floor: bad signature");
  const { data } = JSON.parse(body.toString("utf8")) as { data: { id: string } };
  return JSON.stringify({ success: true, data: { id: data.id } });
}

export async function externalCandidates(): Promise<Candidate[]> {
  const deployable = async (
    platform: ExternalPlatformName,
    exportName: string,
    shape: EntryShape,
    label: string,
  ): Promise<Candidate> => {
    const path = `dist/${platform}/commercelayer-external.mjs`;
    const module = (await import(pathToFileURL(`${BENCH_ROOT}${path}`).href)) as Record<
      string,
      (...args: unknown[]) => Promise<unknown>
    >;
    const call = module[exportName];
    if (call === undefined) throw new Error(`${path} does not export ${exportName}`);
    return {
      name: label,
      prepare: (d, n) =>
        repeat(n, () => {
          const input = platformInput(shape, sent(d, platform));
          if (shape !== "lambda-http-api-v2") return input;
          // API Gateway hands the function the route's own path.
          const [event] = input as [{ rawPath: string; requestContext: { http: { path: string } } }];
          event.rawPath = deployedExternalPath("aws-lambda", d.topic as ExternalKind);
          event.requestContext.http.path = event.rawPath;
          return [event];
        }),
      run: (input) => callEntry(call, shape, input as unknown[]),
    };
  };
  return [
    {
      name: "floor: HMAC + compare + JSON.parse + JSON.stringify",
      prepare: (d, n) => repeat(n, () => d),
      run(input) {
        const call = input as BenchDelivery;
        return verifiedAnswer(call.body, call.headers["x-commercelayer-signature"] ?? "");
      },
    },
    {
      name: "Web floor: arrayBuffer() + floor + new Response()",
      prepare: (d, n) =>
        repeat(
          n,
          () => [platformInput("web", sent(d, "vercel"))[0], d.headers["x-commercelayer-signature"] ?? ""] as const,
        ),
      async run(input) {
        const [request, signature] = input as readonly [Request, string];
        const answer = verifiedAnswer(Buffer.from(await request.arrayBuffer()), signature);
        return new Response(answer, { status: 200, headers: { "content-type": "application/json" } });
      },
    },
    ...(await Promise.all([
      deployable("aws-lambda", "handler", "lambda-http-api-v2", "aws-lambda external bundle (HTTP API v2 event)"),
      deployable("vercel", "POST", "web", "vercel external bundle (POST Request)"),
      deployable("netlify", "default", "web", "netlify external bundle (v2 Request)"),
    ])),
  ];
}
