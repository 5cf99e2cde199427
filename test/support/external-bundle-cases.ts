// The table every built external factory is driven with, whatever the platform shape: each kind's exact document,
// its handler's failure and throw, and the rejections (forged, missing, another resource's secret, oversize,
// malformed), with the environment a deployed function would have.

import { EXTERNAL_KIND_NAMES, EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { signPayload } from "../../shared/node/signature.ts";
import { EXPECTED_FAILURE, EXPECTED_SUCCESS, REFUSED_ID } from "./external-expected.ts";
import {
  EXTERNAL_SECRETS,
  externalDocument,
  externalSecretEnv,
  SECRET_VARIABLES,
  signedExternalCall,
} from "./external-requests.ts";

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
    const call = signedExternalCall(kind);
    const { "x-commercelayer-signature": _signature, ...unsigned } = call.headers;
    const malformed = '{"data":';
    cases.push(
      {
        name: `${kind}: forged signature`,
        kind,
        request: {
          ...post(call),
          headers: { ...call.headers, "x-commercelayer-signature": signPayload(call.body, "x") },
        },
        env: env(),
        status: 401,
        errorCode: "invalid_signature",
      },
      {
        name: `${kind}: no signature`,
        kind,
        request: { ...post(call), headers: unsigned },
        env: env(),
        status: 401,
        errorCode: "missing_signature",
      },
      {
        name: `${kind}: over the body limit`,
        kind,
        request: post(call),
        env: env({ COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: "256" }),
        status: 413,
        errorCode: "body_too_large",
      },
      {
        name: `${kind}: signed but not JSON`,
        kind,
        request: post(signedExternalCall(kind, { body: malformed })),
        env: env(),
        status: 400,
        errorCode: "invalid_payload",
      },
      {
        name: `${kind}: another data.type`,
        kind,
        request: post(signedExternalCall(kind, { body: '{"data":{"id":"s_1","type":"skus"}}' })),
        env: env(),
        status: 400,
        errorCode: "resource_type_mismatch",
      },
      {
        name: `${kind}: no secret configured`,
        kind,
        request: post(call),
        env: env({ [EXTERNAL_KINDS[kind].secretEnv]: "" }),
        status: 500,
        errorCode: "no_secret_configured",
      },
    );
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
  const cases = externalBundleCases().filter((testCase) => JSON.stringify(testCase.env) === standard);
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
