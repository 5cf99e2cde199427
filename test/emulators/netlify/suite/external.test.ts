// What Netlify routes of functions/external.ts when it implements only some kinds, or none, through
// `netlify functions:serve --offline` on scratch sites (createScratchSite) built from the suites' other external
// handlers files: the kinds left out must not reach our function at all (Netlify's own 404, no document, no log line of
// ours), and with no kind there must be no external function to deploy. The build writes the function's `config.path`
// as the literal list of the implemented kinds' paths, and deletes the function when there is none; this is what the
// pinned netlify-cli makes of that. Each site is built into a folder of its own under .test-build/ (the bundles import
// nothing, but building imports the handlers file) and served by one emulator, stopped before the next one starts.
// The fixture build (every kind) is served in functions-serve.test.ts, beside the webhook tests.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundles } from "../../../../infra/build/build.ts";
import { deployedExternalPath } from "../../../../infra/build/external-deploy.ts";
import { EXTERNAL_KIND_NAMES, type ExternalKind } from "../../../../shared/external/kinds.ts";
import { SOME_KINDS } from "../../../fixtures/external-some-handlers.ts";
import { FIXTURE_HANDLERS } from "../../../support/bundles.ts";
import { signedDelivery, TEST_SECRET } from "../../../support/deliveries.ts";
import { checkExternalAnswer, emulatorEnv, externalEmulatorCases } from "../../../support/external-bundle-cases.ts";
import { signedExternalCall } from "../../../support/external-requests.ts";
import {
  bundle,
  cliEnv,
  createScratchSite,
  deliveryLogs,
  EXTERNAL_FUNCTION,
  EXTERNAL_LOG,
  FUNCTIONS,
  type FunctionsServer,
  loadedFunctions,
  NETLIFY_NOT_FOUND,
  ROOT,
  request,
  requireCliAndBundles,
  startFunctionsServe,
  WEBHOOK_LOG,
} from "./netlify-cli.ts";

const MAX_BODY_BYTES = 64 * 1024;
const SOME_HANDLERS = join(ROOT, "test/fixtures/external-some-handlers.ts");
const NO_HANDLERS = join(ROOT, "test/fixtures/external-no-handlers.ts");
const SERVED: readonly ExternalKind[] = SOME_KINDS;
const LEFT_OUT = EXTERNAL_KIND_NAMES.filter((kind) => !SERVED.includes(kind));

/** The folders this file writes (builds under .test-build/, sites and HOMEs in the temp folder), removed at the end. */
const written: string[] = [];

afterAll(() => {
  for (const dir of written) rmSync(dir, { recursive: true, force: true });
});

/** Builds every bundle from the suites' webhook handlers and `externalHandlersFile`, into a new folder of the repo. */
async function buildWith(externalHandlersFile: string): Promise<string> {
  mkdirSync(join(ROOT, ".test-build"), { recursive: true });
  const outRoot = mkdtempSync(join(ROOT, ".test-build", "netlify-external-"));
  written.push(outRoot);
  await buildBundles({ declarations: false, handlersFile: FIXTURE_HANDLERS, externalHandlersFile, outRoot });
  return outRoot;
}

/**
 * The site of `build` under `netlify functions:serve`, with every external secret and the webhook's: a kind routed to
 * the function would be answered, so a 404 can only come from routing. Ready once `functions` are loaded.
 */
async function serve(build: string, functions: readonly string[]): Promise<FunctionsServer> {
  const root = mkdtempSync(join(tmpdir(), "netlify-external-"));
  written.push(root);
  return startFunctionsServe({
    cwd: createScratchSite(join(root, "site"), build),
    env: cliEnv(join(root, "home"), { ...emulatorEnv(MAX_BODY_BYTES), COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET }),
    functions,
  });
}

function running(server: FunctionsServer | undefined): FunctionsServer {
  if (server === undefined) throw new Error("netlify functions:serve is not running");
  return server;
}

/** POSTs a correctly signed call for `kind` to its deployed path. */
function callKind(emulator: FunctionsServer, kind: ExternalKind) {
  const call = signedExternalCall(kind);
  return request(`${emulator.url}${deployedExternalPath("netlify", kind)}`, { headers: call.headers, body: call.body });
}

/** Netlify's own 404: plain text from netlify-cli, never our function's JSON document (`not_implemented`). */
function expectNetlifyNotFound(response: { status: number; headers: Headers; text: string }): void {
  expect(response.status, response.text).toBe(404);
  expect(response.text).toBe(NETLIFY_NOT_FOUND);
  expect(response.headers.get("content-type") ?? "").not.toContain("json");
}

beforeAll(() => {
  requireCliAndBundles();
});

describe(`built from external-some-handlers.ts (${SOME_KINDS.join(", ")})`, () => {
  let build: string;
  let server: FunctionsServer | undefined;

  beforeAll(async () => {
    build = await buildWith(SOME_HANDLERS);
    server = await serve(build, [...FUNCTIONS, EXTERNAL_FUNCTION]);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("deploys the external function, its config listing exactly the implemented kinds' paths", async () => {
    const built = (await import(pathToFileURL(bundle(EXTERNAL_FUNCTION, build)).href)) as { config?: unknown };
    expect(built.config).toEqual({ path: SERVED.map((kind) => deployedExternalPath("netlify", kind)) });
    expect(loadedFunctions(running(server).output()).sort()).toEqual([...FUNCTIONS, EXTERNAL_FUNCTION].sort());
  });

  it.each(externalEmulatorCases(MAX_BODY_BYTES).filter((testCase) => SERVED.includes(testCase.kind)))(
    "served: $status: $name",
    async (testCase) => {
      const emulator = running(server);
      const since = emulator.output().length;
      const response = await request(`${emulator.url}${deployedExternalPath("netlify", testCase.kind)}`, {
        method: testCase.request.method,
        headers: testCase.request.headers,
        body: testCase.request.body,
      });
      checkExternalAnswer(testCase, response.status, response.text, expect);
      await emulator.waitForLog(
        since,
        (entry) => entry.kind === testCase.kind && entry.status === testCase.status,
        EXTERNAL_LOG,
      );
    },
  );

  it(`left out (${LEFT_OUT.length} kinds): Netlify's 404, our function never runs`, async () => {
    const emulator = running(server);
    const since = emulator.output().length;
    for (const kind of LEFT_OUT) expectNetlifyNotFound(await callKind(emulator, kind));
    // Those answers are netlify-cli's own. Then a served kind, whose line is the only external line since: none of the
    // calls above ran the function (it logs every call, a path it does not serve included).
    const served = await callKind(emulator, "tax-calculator");
    expect(served.status, served.text).toBe(200);
    await emulator.waitForLog(since, (entry) => entry.kind === "tax-calculator", EXTERNAL_LOG);
    expect(deliveryLogs(emulator.output().slice(since), EXTERNAL_LOG).map((entry) => entry.kind)).toEqual([
      "tax-calculator",
    ]);
  });

  it("the webhook function still answers at its path beside it", async () => {
    const emulator = running(server);
    const since = emulator.output().length;
    const delivery = signedDelivery("orders.place");
    const response = await request(`${emulator.url}/webhooks/commercelayer`, {
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(response.status, response.text).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ received: true, outcome: "handled" });
    await emulator.waitForLog(since, (entry) => entry.platform === "netlify" && entry.outcome === "handled");
  });
});

describe("built from external-no-handlers.ts (no kind)", () => {
  let build: string;
  let server: FunctionsServer | undefined;

  beforeAll(async () => {
    build = await buildWith(NO_HANDLERS);
    server = await serve(build, FUNCTIONS);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("dist/netlify holds the webhook functions only: no commercelayer-external.mjs to deploy", () => {
    expect(existsSync(bundle(EXTERNAL_FUNCTION, build))).toBe(false);
    expect(readdirSync(join(build, "dist/netlify")).sort()).toEqual(FUNCTIONS.map((name) => `${name}.mjs`).sort());
  });

  it("every kind is Netlify's 404 and writes no external line; the webhook answers beside", async () => {
    const emulator = running(server);
    const since = emulator.output().length;
    for (const kind of EXTERNAL_KIND_NAMES) expectNetlifyNotFound(await callKind(emulator, kind));
    const delivery = signedDelivery("orders.place");
    const response = await request(`${emulator.url}/webhooks/commercelayer`, {
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(response.status, response.text).toBe(200);
    // The webhook's line comes after the calls above: had any of them run a function, its line would be there too.
    await emulator.waitForLog(since, (entry) => entry.outcome === "handled", WEBHOOK_LOG);
    expect(deliveryLogs(emulator.output().slice(since), EXTERNAL_LOG)).toEqual([]);
  });

  it("netlify-cli lists the webhook functions and no external one", async () => {
    // First a URL no function serves: netlify-cli matches it against every function it registered, waiting for each
    // one's build, so once it answers every function it found has printed its `Loaded function` line.
    const emulator = running(server);
    expectNetlifyNotFound(await callKind(emulator, "tax-calculator"));
    expect(loadedFunctions(emulator.output()).sort()).toEqual([...FUNCTIONS].sort());
  });
});
