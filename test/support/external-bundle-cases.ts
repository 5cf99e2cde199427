// The table every built external factory is driven with, whatever the platform shape: each kind's exact document,
// its handler's failure and throw, another resource's secret, and the pipeline's rows, the same ones the webhook's
// contract table runs (pipeline-cases.ts), with the environment a deployed function would have.

import { EXTERNAL_KIND_NAMES, EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { EXPECTED_FAILURE, EXPECTED_SUCCESS, REFUSED_ID } from "./external-expected.ts";
import {
  EXTERNAL_SECRETS,
  externalDocument,
  externalSecretEnv,
  SECRET_VARIABLES,
  secretOf,
  signedExternalCall,
} from "./external-requests.ts";
import { type PipelineSide, pipelineCases, SUCCESS } from "./pipeline-cases.ts";

export interface ExternalBundleCase {
  readonly name: string;
  readonly kind: ExternalKind;
  readonly request: { readonly method: string; readonly headers: Record<string, string>; readonly body: Buffer };
  readonly env: Record<string, string>;
  readonly status: number;
  /** The exact document; else `errorCode` is what `error.code` must be. */
  readonly body?: unknown;
  readonly errorCode?: string;
}

const post = (call: ReturnType<typeof signedExternalCall>) => ({
  method: "POST",
  headers: call.headers,
  body: call.body,
});
const env = (extra: Record<string, string> = {}) => ({
  ...externalSecretEnv(),
  COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: "",
  COMMERCELAYER_WEBHOOK_BUDGET_MS: "",
  ...extra,
});

/** A kind as a side of the pipeline: its own secret variable, its genuine call. */
const externalSide = (kind: ExternalKind): PipelineSide => ({
  secretEnv: EXTERNAL_KINDS[kind].secretEnv,
  secret: secretOf(kind),
  call: (options = {}) => signedExternalCall(kind, options),
});

/** Kinds driven through every rejection as well (one per secret variable would be redundant on each shape). */
const REJECTION_KINDS: readonly ExternalKind[] = ["payment-gateway/authorize", "tax-calculator"];

export function externalBundleCases(): ExternalBundleCase[] {
  const cases: ExternalBundleCase[] = [];
  for (const kind of EXTERNAL_KIND_NAMES) {
    cases.push(
      { name: `${kind}: valid`, kind, request: post(signedExternalCall(kind)), env: env(), ...EXPECTED_SUCCESS[kind] },
      {
        name: `${kind}: the handler refuses`,
        kind,
        request: post(signedExternalCall(kind, { id: REFUSED_ID })),
        env: env(),
        ...EXPECTED_FAILURE[kind],
      },
      {
        name: `${kind}: the handler throws`,
        kind,
        request: post(signedExternalCall(kind, { id: "throw_1" })),
        env: env(),
        status: 500,
        errorCode: "handler_failed",
      },
    );
    const other =
      SECRET_VARIABLES.find((variable) => variable !== EXTERNAL_KINDS[kind].secretEnv) ?? SECRET_VARIABLES[0];
    cases.push({
      name: `${kind}: signed with ${other}`,
      kind,
      request: post(signedExternalCall(kind, { secret: EXTERNAL_SECRETS[other as keyof typeof EXTERNAL_SECRETS] })),
      env: env(),
      status: 401,
      errorCode: "invalid_signature",
    });
  }
  for (const kind of REJECTION_KINDS) {
    // The pipeline's rows, as the webhook's contract table has them (pipeline-cases.ts), on this kind.
    for (const row of pipelineCases(externalSide(kind))) {
      const expected = row.answer === SUCCESS ? EXPECTED_SUCCESS[kind] : { errorCode: row.answer };
      cases.push({
        name: `${kind}: ${row.name}`,
        kind,
        request: row.request,
        env: env(row.env),
        status: row.status,
        ...expected,
      });
    }
    cases.push({
      name: `${kind}: another data.type`,
      kind,
      request: post(signedExternalCall(kind, { body: '{"data":{"id":"s_1","type":"skus"}}' })),
      env: env(),
      status: 400,
      errorCode: "resource_type_mismatch",
    });
  }
  return cases;
}

/** What an answer must be for a case: the exact document, or an error object with the case's code (never success). */
export function checkExternalAnswer(
  testCase: ExternalBundleCase,
  status: number,
  text: string,
  expect: (value: unknown) => { toBe(expected: unknown): void; toEqual(expected: unknown): void },
): void {
  expect(status).toBe(testCase.status);
  const body = JSON.parse(text) as { success?: unknown; error?: { code?: unknown; message?: unknown } };
  if (testCase.body !== undefined) {
    expect(body).toEqual(testCase.body);
    return;
  }
  expect(body.success).toBe(false);
  expect(body.error?.code).toBe(testCase.errorCode);
  expect(typeof body.error?.message).toBe("string");
  // A thrown message never reaches the answer.
  expect(text.includes("secret-detail")).toBe(false);
}

/**
 * The cases a platform's emulator can run against one server started with `emulatorEnv(maxBodyBytes)`: those that
 * need no environment of their own, and the oversize ones with a signed body just over `maxBodyBytes` instead.
 */
export function externalEmulatorCases(maxBodyBytes: number): ExternalBundleCase[] {
  const standard = JSON.stringify(env());
  // POST only: in front of a deployed function, the platform's routing answers other methods (an HTTP API route is
  // POST /external/<kind>), so the function's own 405 is checked on the bundles.
  const cases = externalBundleCases().filter(
    (testCase) => JSON.stringify(testCase.env) === standard && testCase.request.method === "POST",
  );
  for (const kind of REJECTION_KINDS) {
    const padded = `${JSON.stringify(externalDocument(kind)).slice(0, -1)}${" ".repeat(maxBodyBytes)}}`;
    cases.push({
      name: `${kind}: over COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES`,
      kind,
      request: post(signedExternalCall(kind, { body: padded })),
      env: emulatorEnv(maxBodyBytes),
      status: 413,
      errorCode: "body_too_large",
    });
  }
  return cases;
}

/** The environment an emulator serving `externalEmulatorCases(maxBodyBytes)` is started with. */
export function emulatorEnv(maxBodyBytes: number): Record<string, string> {
  return { ...externalSecretEnv(), COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: String(maxBodyBytes) };
}
