// Reading what came back: the receiver answers `{"received":true,"outcome":"..."}` with a 2xx and `{"error":"<reason>"}`
// otherwise (shared/core/answer.ts). Anything else came from something else: an emulator reporting a crash with a 200
// (serverless-offline's HTTP API turns a Lambda error, such as a bundle that fails to import, into a 200), a proxy,
// a platform's protection page, another program on the port. Those must not pass for an acknowledged delivery.
import { SECRET_ENV } from "../../shared/core/env.ts";
import { type SecretSource, whatTheReceiverNeeds } from "./send-secret.ts";

export type ReadAnswer =
  | { readonly from: "receiver"; readonly outcome: string }
  | { readonly from: "receiver"; readonly error: string }
  | { readonly from: "elsewhere"; readonly description: string };

const isSuccess = (status: number) => status >= 200 && status < 300;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What the body is, in a few words, for an answer that is not the receiver's. */
function describeForeignBody(text: string, contentType: string | null): string {
  const parsed = parseJson(text);
  if (isObject(parsed) && typeof parsed.errorMessage === "string") {
    const type = typeof parsed.errorType === "string" ? `${parsed.errorType}: ` : "";
    return `a Lambda error result (${type}${parsed.errorMessage.slice(0, 200)}): the function threw or could not be loaded`;
  }
  if (text.trim() === "") return "an empty body";
  const start = text.replaceAll(/\s+/g, " ").trim().slice(0, 120);
  return `${contentType ?? "no content type"}: "${start}${text.length > 120 ? "…" : ""}"`;
}

/** Only the receiver's two answers, key for key: an emulator's `{"error":"Bad Gateway",...}` is not one of them. */
export function readAnswer(status: number, contentType: string | null, text: string): ReadAnswer {
  const parsed = parseJson(text);
  if (isObject(parsed)) {
    const keys = Object.keys(parsed).sort().join(",");
    if (isSuccess(status) && keys === "outcome,received" && parsed.received === true && isCode(parsed.outcome))
      return { from: "receiver", outcome: parsed.outcome };
    if (!isSuccess(status) && keys === "error" && isCode(parsed.error))
      return { from: "receiver", error: parsed.error };
  }
  return { from: "elsewhere", description: describeForeignBody(text, contentType) };
}

/** The receiver's outcomes and reasons are snake_case codes (shared/core/result.ts). */
const isCode = (value: unknown): value is string => typeof value === "string" && /^[a-z][a-z_]*$/.test(value);

export interface Diagnosis {
  readonly status: number;
  readonly answer: ReadAnswer;
  readonly secretSource: SecretSource;
  readonly bytes: number;
  /** The content type sent; undefined when none was. */
  readonly contentType: string | undefined;
}

/** Why the receiver refused the signature, for each way it can: the lines to print, or none. */
function signatureCauses({ answer, secretSource, bytes, contentType }: Diagnosis): string[] {
  if (answer.from !== "receiver" || !("error" in answer)) return [];
  if (answer.error === "missing_signature")
    return ["  No X-CommerceLayer-Signature arrived: send sent one, so something on the way dropped the header."];
  if (answer.error === "duplicate_signature_header")
    return ["  More than one X-CommerceLayer-Signature arrived: something on the way added one."];
  if (answer.error !== "invalid_signature") return [];
  const noContentType =
    contentType === undefined ? " This delivery had no Content-Type, which is exactly that case." : "";
  return [
    "  401 invalid_signature: the signature does not match the bytes the receiver got. The usual causes:",
    `  - the secrets differ: this was ${secretSourceWords(secretSource)}; ${whatTheReceiverNeeds(secretSource)}.`,
    `  - the body was changed or dropped on the way: send signed ${bytes} bytes. An emulator, a proxy or a framework that parses and re-serializes the body changes them; netlify-cli's emulator passes an empty body when there is no Content-Type.${noContentType}`,
    `  - the receiver's log line for this delivery says which: its hint reads "<N> bytes received". ${bytes} means the body arrived intact and the secret differs; any other number means the body was changed on the way (0: dropped).`,
  ];
}

function secretSourceWords(source: SecretSource): string {
  switch (source) {
    case "flag":
      return "signed with --secret";
    case "env":
      return `signed with the first secret of $${SECRET_ENV}`;
    case "development":
      return "signed with the local development secret";
  }
}

/** What to print under a delivery's line, or nothing when the answer needs no explanation. */
export function diagnose(diagnosis: Diagnosis): string[] {
  const { status, answer } = diagnosis;
  if (answer.from === "elsewhere") {
    const what = isSuccess(status)
      ? `HTTP ${status}, but not the receiver's answer, so the delivery was not acknowledged`
      : `HTTP ${status}, not from the receiver`;
    const next =
      status === 404
        ? "Check the URL and the path (--url, --platform)"
        : status === 401 || status === 403
          ? "Something in front of the receiver refused the request (a platform's deployment protection, an auth proxy)"
          : `The receiver answers {"received":true,"outcome":"..."} or {"error":"<reason>"}; look at the log of what runs at this URL`;
    return [`  ${what}: ${answer.description}.`, `  ${next}.`];
  }
  return signatureCauses(diagnosis);
}
