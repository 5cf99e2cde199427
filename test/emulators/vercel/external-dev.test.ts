// The external-resource deployable through Vercel's real Node runtime (`vercel dev --local`, offline, no login): a
// throwaway project laid out as the deployment is, one api/ file per kind at the kind's deployed path
// (api/external/tax-calculator.mjs, api/external/payment-gateway/authorize.mjs...), each a byte-for-byte copy of that
// kind's function in the fixture build's .vercel/output (`vercel dev` cannot serve a prebuilt .vercel/output itself).
// The function is the same bundle for every kind: only the URL names the kind, so this checks that Vercel's routing
// hands the receiver a path it reads the right kind from. Every case of the emulator table (test/support/
// external-bundle-cases.ts) is POSTed over HTTP, against one server started with the table's environment; each call
// must get its exact answer and print one log line that says what happened and holds no secret.
// The bundle is the one the suites' global setup builds from test/fixtures/external-handlers.ts (all ten kinds).
// Needs `npm run emulators:install` first.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { deployedExternalPath } from "../../../infra/build/external-deploy.ts";
import { EXTERNAL_LOG_MESSAGE } from "../../../shared/core/log.ts";
import { EXTERNAL_KIND_NAMES, type ExternalKind } from "../../../shared/external/kinds.ts";
import { fixtureBuild } from "../../support/bundles.ts";
import {
  checkExternalAnswer,
  type ExternalBundleCase,
  emulatorEnv,
  externalEmulatorCases,
} from "../../support/external-bundle-cases.ts";
import { EXTERNAL_SECRETS } from "../../support/external-requests.ts";
import { assertEmulatorInstalled, type DevServer, portClosed, startVercelDev, vercelEnv } from "./support.ts";

const MAX_BODY_BYTES = 65_536;
const BUNDLE = "dist/vercel/commercelayer-external.mjs";

/** The kind's function in the fixture build's .vercel/output (what the deployment serves at the kind's path). */
const servedFunction = (kind: ExternalKind) =>
  join(".vercel/output/functions", `${deployedExternalPath("vercel", kind).slice(1)}.func/index.mjs`);
/** Where the project's api/ folder holds the kind's copy: Vercel routes a file's path, minus .mjs, to it. */
const projectFile = (kind: ExternalKind) => `${deployedExternalPath("vercel", kind).slice(1)}.mjs`;

const SECRET_VALUES = Object.values(EXTERNAL_SECRETS);

let temp: string;
let server: DevServer | undefined;

beforeAll(async () => {
  assertEmulatorInstalled();
  const missing = [BUNDLE, ...EXTERNAL_KIND_NAMES.map(servedFunction)].filter(
    (file) => !existsSync(join(fixtureBuild(), file)),
  );
  if (missing.length > 0) throw new Error(`missing ${missing.join(", ")}: the global setup builds them`);
  temp = mkdtempSync(join(tmpdir(), "cl-vercel-external-dev-"));
  const project = join(temp, "project");
  // A plain Vercel project: no .vercel/ (a linked project goes online) and no .env (it would override the environment
  // given here).
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), `${JSON.stringify({ type: "module" })}\n`);
  for (const kind of EXTERNAL_KIND_NAMES) {
    const file = join(project, projectFile(kind));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, readFileSync(join(fixtureBuild(), servedFunction(kind))));
  }
  mkdirSync(join(temp, "home"));
  server = await startVercelDev(project, vercelEnv(join(temp, "home"), emulatorEnv(MAX_BODY_BYTES)));
});

afterAll(async () => {
  try {
    if (server !== undefined) {
      await server.process.stop();
      expect(await portClosed(server.url)).toBe(true);
    }
  } finally {
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  }
});

function devServer(): DevServer {
  if (server === undefined) throw new Error("vercel dev did not start");
  return server;
}

/**
 * The receiver's log lines printed after `since`, as raw text (to look for secrets in) and parsed; waits until at
 * least one is there, since vercel dev may pass the function's output on just after the response.
 */
async function externalLinesAfter(since: number): Promise<{ text: string; line: Record<string, unknown> }[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = devServer()
      .process.output()
      .slice(since)
      .split("\n")
      .map((text) => text.slice(Math.max(0, text.indexOf("{"))))
      .filter((text) => text.startsWith("{") && text.includes(`"msg":"${EXTERNAL_LOG_MESSAGE}"`))
      .map((text) => ({ text, line: JSON.parse(text) as Record<string, unknown> }));
    if (found.length > 0) return found;
    if (Date.now() > deadline) {
      throw new Error(`no "${EXTERNAL_LOG_MESSAGE}" line. Output:\n${devServer().process.output().slice(since)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What the receiver's line says for a case (shared/external/receiver.ts): its result sent, its failure, or a refusal. */
function expectedLine(testCase: ExternalBundleCase): Record<string, unknown> {
  const base = { platform: "vercel", kind: testCase.kind, status: testCase.status };
  if (testCase.body !== undefined) {
    const success = (testCase.body as { success?: unknown }).success === true;
    return { ...base, outcome: success ? "answered" : "refused" };
  }
  const outcome = testCase.errorCode === "handler_failed" ? "failed" : "rejected";
  return { ...base, outcome, reason: testCase.errorCode };
}

const cases = externalEmulatorCases(MAX_BODY_BYTES).map((testCase) => [testCase.name, testCase] as const);

it("runs every kind through the table, its rejections included", () => {
  expect(new Set(cases.map(([, testCase]) => testCase.kind))).toEqual(new Set(EXTERNAL_KIND_NAMES));
  expect(cases.some(([, testCase]) => testCase.errorCode === "body_too_large")).toBe(true);
});

it.each(cases)("vercel dev: %s", async (_name, testCase) => {
  const since = devServer().process.output().length;
  const { method, headers, body } = testCase.request;
  const response = await fetch(new URL(deployedExternalPath("vercel", testCase.kind), devServer().url), {
    method,
    headers,
    body: new Uint8Array(body),
    signal: AbortSignal.timeout(15_000),
  });
  checkExternalAnswer(testCase, response.status, await response.text(), expect);
  expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
  const lines = await externalLinesAfter(since);
  expect(lines, "one line per call").toHaveLength(1);
  const [{ text, line } = { text: "", line: {} }] = lines;
  expect(line).toMatchObject(expectedLine(testCase));
  for (const secret of [...SECRET_VALUES, headers["x-commercelayer-signature"] ?? ""].filter(Boolean)) {
    expect(text.includes(secret), "the log line holds no secret or signature").toBe(false);
  }
});

it("vercel dev printed no secret value anywhere", () => {
  const output = devServer().process.output();
  expect(output).toContain(`"msg":"${EXTERNAL_LOG_MESSAGE}"`);
  for (const secret of SECRET_VALUES) expect(output.includes(secret), secret).toBe(false);
});

it("serves byte-for-byte copies of the built bundle, one per kind (built from the suites' own handlers)", () => {
  const bundle = readFileSync(join(fixtureBuild(), BUNDLE));
  expect(bundle.toString("utf8")).toContain("fixture handler threw for");
  for (const kind of EXTERNAL_KIND_NAMES) {
    expect(readFileSync(join(temp, "project", projectFile(kind))).equals(bundle), projectFile(kind)).toBe(true);
  }
});
