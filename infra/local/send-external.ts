// `npm run send -- --external <kind>` (or `npm run send -- <kind>`: kinds have no dot, topics always do): posts a
// signed sample call for that external resource, as Commerce Layer would, to the local endpoint of the kind (or
// --url), signed with THAT kind's secret, and prints the status and the answer document. `--external all` calls each
// kind once and prints a summary; `--print` shows the request and a curl command instead.
import { parseSecretList } from "../../shared/core/env.ts";
import { EXTERNAL_KIND_NAMES, EXTERNAL_KINDS, type ExternalKind, kindOfPath } from "../../shared/external/kinds.ts";
import type { ExternalSecretEnv } from "../../shared/external/receiver.ts";
import { signPayload } from "../../shared/node/signature.ts";
import { buildExternalSample } from "../samples/external.ts";
import { DEV_EXTERNAL_SECRETS } from "./dev-secret.ts";
import { EXTERNAL_BASES, type ExternalPlatformName, externalPath } from "./external-paths.ts";
import { bodyFileFor, printedRequest } from "./send-print.ts";
import { COMMERCE_LAYER_CONTENT_TYPE, type DeliveryRequest, explainNoAnswer, noAnswerCause } from "./send-request.ts";

export interface ExternalSendOptions {
  /** Kinds, or `all`. */
  readonly kinds: readonly string[];
  readonly url: string | undefined;
  readonly platform: string;
  readonly secret: string | undefined;
  readonly seed: number;
  readonly fileBody: Buffer | undefined;
  readonly userFile: string | undefined;
  readonly print: boolean;
}

export const isExternalKind = (value: string): value is ExternalKind =>
  EXTERNAL_KIND_NAMES.includes(value as ExternalKind);

type SecretSource = "flag" | "env" | "development";

/** `--secret`, else the first of the kind's own variable, else that variable's development secret. */
function signingSecret(variable: ExternalSecretEnv, flag: string | undefined): { value: string; source: SecretSource } {
  if (flag !== undefined) return { value: flag, source: "flag" };
  const [first] = parseSecretList(process.env[variable]);
  if (first !== undefined) return { value: first, source: "env" };
  return { value: DEV_EXTERNAL_SECRETS[variable], source: "development" };
}

function describeSource(variable: ExternalSecretEnv, source: SecretSource): string {
  switch (source) {
    case "flag":
      return "signed with the secret given by --secret";
    case "env":
      return `signed with $${variable} (its first secret)`;
    case "development":
      return `signed with the local development secret of ${variable} (infra/local/dev-secret.ts; ${variable} is not set)`;
  }
}

/** --url: the kind's URL as given, or a base the kind is appended to (so that `--external all` works with it). */
function urlFor(kind: ExternalKind, options: ExternalSendOptions): string {
  if (options.url === undefined)
    return `http://127.0.0.1:${process.env.PORT ?? "3000"}${externalPath(options.platform as ExternalPlatformName, kind)}`;
  const path = new URL(options.url).pathname;
  return kindOfPath(path) === kind ? options.url : `${options.url.replace(/\/+$/, "")}/${kind}`;
}

interface Called {
  readonly kind: ExternalKind;
  readonly status: number | "error";
  /** `success` of the answer document; undefined when the answer was no such document. */
  readonly success: boolean | undefined;
  readonly summary: string;
}

function summaryOf(document: unknown): { success: boolean | undefined; summary: string } {
  if (
    typeof document !== "object" ||
    document === null ||
    typeof (document as { success?: unknown }).success !== "boolean"
  )
    return { success: undefined, summary: "not an external-resource answer" };
  const { success, error } = document as { success: boolean; error?: { code?: string } };
  return { success, summary: success ? "success" : `error ${error?.code ?? "?"}` };
}

async function call(request: DeliveryRequest, kind: ExternalKind): Promise<Called> {
  const started = performance.now();
  try {
    const response = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: new Uint8Array(request.body),
    });
    const text = await response.text();
    const ms = (performance.now() - started).toFixed(1);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      document = undefined;
    }
    const { success, summary } = summaryOf(document);
    console.log(`${kind}  ${response.status}  ${summary}  ${ms} ms`);
    console.log(document === undefined ? text : JSON.stringify(document, null, 2));
    return { kind, status: response.status, success, summary };
  } catch (error) {
    const cause = noAnswerCause(error);
    console.log(`${kind}  error  no answer (${cause})`);
    const hint = explainNoAnswer(request.url, cause);
    if (hint !== undefined) console.error(hint);
    return { kind, status: "error", success: undefined, summary: `no answer (${cause})` };
  }
}

/** Answered: a 2xx whose document says `"success": true`. */
const answered = (called: Called) =>
  typeof called.status === "number" && called.status >= 200 && called.status < 300 && called.success === true;

/** Returns the exit code: 0 when every call was answered with success, 1 otherwise, 2 for a usage error. */
export async function sendExternal(options: ExternalSendOptions): Promise<number> {
  const all = options.kinds.includes("all");
  const unknown = options.kinds.filter((kind) => kind !== "all" && !isExternalKind(kind));
  if (unknown.length > 0) {
    console.error(`unknown external kind "${unknown[0]}": one of ${EXTERNAL_KIND_NAMES.join(", ")}, or all`);
    return 2;
  }
  const kinds: ExternalKind[] = all ? [...EXTERNAL_KIND_NAMES] : (options.kinds as ExternalKind[]);
  if (kinds.length === 0) {
    console.error("--external needs a kind, or all");
    return 2;
  }
  if (options.url === undefined && !(options.platform in EXTERNAL_BASES)) {
    console.error(`unknown --platform "${options.platform}": one of ${Object.keys(EXTERNAL_BASES).join(", ")}`);
    return 2;
  }
  if (options.fileBody !== undefined && kinds.length !== 1) {
    console.error("--file sends one payload: give exactly one kind");
    return 2;
  }

  const results: Called[] = [];
  for (const kind of kinds) {
    const variable = EXTERNAL_KINDS[kind].secretEnv;
    const secret = signingSecret(variable, options.secret);
    const url = urlFor(kind, options);
    const body = options.fileBody ?? Buffer.from(buildExternalSample(kind, { seed: options.seed }).body, "utf8");
    // As Commerce Layer calls: no topic header (the URL names the call), the signature over the exact bytes.
    const request: DeliveryRequest = {
      url,
      topic: kind,
      body,
      headers: {
        "content-type": COMMERCE_LAYER_CONTENT_TYPE,
        "user-agent": "CommerceLayer Module",
        "x-commercelayer-signature": signPayload(body, secret.value),
      },
    };
    const source = describeSource(variable, secret.source);
    console.log(
      `${results.length > 0 ? "\n" : ""}POST ${url}${options.print ? "   (--print: nothing is sent)" : ""}\n${source}`,
    );
    if (options.print) {
      console.log(`\n${printedRequest(request, bodyFileFor(request, options.userFile))}`);
      continue;
    }
    const called = await call(request, kind);
    results.push(called);
    if (called.status === 401)
      console.error(
        `  401: the endpoint holds another secret for ${kind}. It verifies with ${variable} only (a secret of another Commerce Layer resource never verifies); this call was ${source}.`,
      );
  }
  if (options.print) return 0;
  const failed = results.filter((called) => !answered(called)).length;
  if (results.length > 1) {
    console.log(`\nSummary: ${results.length} called, ${results.length - failed} answered with success, ${failed} not`);
    for (const called of results)
      console.log(`  ${called.kind.padEnd(32)} ${String(called.status).padEnd(5)} ${called.summary}`);
  }
  return failed === 0 ? 0 : 1;
}
