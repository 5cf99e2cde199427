// The pipeline's rules as rows, written once for both of its sides (shared/core/pipeline.ts): the method, the secret
// (none, a rotation), the body limit before hashing, the signature over the exact bytes before parsing, the document.
// Each side's table is these rows plus its own: test/support/contract.ts (webhooks, run on every platform shape) and
// test/support/external-bundle-cases.ts (external resources, run on every factory and deployable).
import { signPayload } from "../../shared/node/signature.ts";

/** What a row needs of a side: where its secret is read from, and a genuine call of it. */
export interface PipelineSide {
  /** The environment variable the side's secret is read from. */
  readonly secretEnv: string;
  /** The secret the suites configure in it. */
  readonly secret: string;
  /** A genuine call, signed with the side's secret (or `secret`), with its own body or `body`. */
  call(options?: { readonly body?: string | Buffer; readonly secret?: string }): {
    readonly headers: Record<string, string>;
    readonly body: Buffer;
  };
}

export interface PipelineCase {
  readonly name: string;
  readonly request: { readonly method: string; readonly headers: Record<string, string>; readonly body: Buffer };
  /** Environment the row needs on top of the side's usual one. */
  readonly env?: Record<string, string>;
  readonly status: number;
  /** The reason the answer names, or SUCCESS: the call reached its handlers and they succeeded. */
  readonly answer: string;
}

export const SUCCESS = "success";

/** A body limit below any genuine call of either side. */
const SMALL_LIMIT = "256";

export function pipelineCases(side: PipelineSide): PipelineCase[] {
  const genuine = side.call();
  const post = (call: { headers: Record<string, string>; body: Buffer }) => ({ method: "POST", ...call });
  const { "x-commercelayer-signature": _signature, ...unsigned } = genuine.headers;
  return [
    { name: "genuine", request: post(genuine), status: 200, answer: SUCCESS },
    {
      name: "GET",
      request: { ...post(genuine), method: "GET", body: Buffer.alloc(0) },
      status: 405,
      answer: "method_not_allowed",
    },
    { name: "PUT", request: { ...post(genuine), method: "PUT" }, status: 405, answer: "method_not_allowed" },
    {
      name: "body over the limit",
      request: post(genuine),
      env: { COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: SMALL_LIMIT },
      status: 413,
      answer: "body_too_large",
    },
    {
      name: "missing signature",
      request: { ...post(genuine), headers: unsigned },
      status: 401,
      answer: "missing_signature",
    },
    {
      name: "wrong signature",
      request: post(side.call({ secret: "not-the-secret" })),
      status: 401,
      answer: "invalid_signature",
    },
    {
      name: "body one byte off",
      request: { ...post(genuine), body: Buffer.concat([genuine.body.subarray(0, -1), Buffer.from(" ")]) },
      status: 401,
      answer: "invalid_signature",
    },
    {
      name: "re-serialized body",
      request: { ...post(genuine), body: Buffer.from(JSON.stringify(JSON.parse(genuine.body.toString("utf8")))) },
      status: 401,
      answer: "invalid_signature",
    },
    {
      name: "signature of the body with another body's bytes",
      request: {
        ...post(genuine),
        headers: { ...genuine.headers, "x-commercelayer-signature": signPayload("{}", side.secret) },
      },
      status: 401,
      answer: "invalid_signature",
    },
    {
      name: "no secret configured",
      request: post(genuine),
      env: { [side.secretEnv]: "" },
      status: 500,
      answer: "no_secret_configured",
    },
    {
      name: "another secret of several (rotation)",
      request: post(genuine),
      env: { [side.secretEnv]: ` old-secret , ${side.secret} ` },
      status: 200,
      answer: SUCCESS,
    },
    {
      name: "signed, not JSON",
      request: post(side.call({ body: "not json" })),
      status: 400,
      answer: "invalid_payload",
    },
    {
      name: "signed, JSON without data",
      request: post(side.call({ body: '{"included":[]}' })),
      status: 400,
      answer: "invalid_payload",
    },
  ];
}
