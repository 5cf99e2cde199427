// The suite each Next.js set-up runs (App Router, pages router, App Router edge route): create-next-app, copy-to (dry
// run, run, re-run), the secret in .env.local as the command's next step says, `next build`, `next start`, deliveries.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { TEST_SECRET } from "../../support/deliveries.ts";
import { postTo, type ServerProcess } from "../server-process.ts";
import {
  type CopyToRecord,
  copyToThreeTimes,
  type ExpectedCopy,
  expectCopyToKeptItsWord,
  expectForgedRefused,
  expectHandledByStub,
  requireInstalled,
} from "./copy-to-run.ts";
import { createNextApp, NEXT_MODULES, type NextApp, nextBuild, nextStart } from "./next-app.ts";

export const NEXT_PATH = "/api/webhooks/commercelayer";

export interface NextSuite {
  /** The app, once beforeAll made it (for a suite's own checks). */
  app(): NextApp;
  buildLog(): string;
  /** Where `next start` serves it, and what it printed so far. */
  url(): string;
  output(): string;
}

/** Registers the hooks and the tests; `beforeCopy` runs on the fresh app (the App Router suite's --edge refusal). */
export function nextCopySuite(options: {
  readonly create: Parameters<typeof createNextApp>[0];
  readonly args: readonly string[];
  readonly expected: ExpectedCopy;
  readonly beforeCopy?: (app: NextApp) => Promise<void>;
  /** More variables for .env.local (an external resource's secret). */
  readonly env?: Readonly<Record<string, string>>;
}): NextSuite {
  let app: NextApp | undefined;
  let record: CopyToRecord | undefined;
  let buildLog = "";
  let server: ServerProcess | undefined;
  let url = "";

  beforeAll(async () => {
    requireInstalled(join(NEXT_MODULES, "next/package.json"));
    app = await createNextApp(options.create);
    await options.beforeCopy?.(app);
    record = await copyToThreeTimes(app.dir, options.expected.handlerFile, options.args);
    // The command's next step: the secret in .env.local (which create-next-app's .gitignore keeps out of git).
    const variables = { COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET, ...options.env };
    writeFileSync(
      join(app.dir, ".env.local"),
      Object.entries(variables)
        .map(([name, value]) => `${name}=${value}\n`)
        .join(""),
    );
    buildLog = await nextBuild(app);
    ({ server, url } = await nextStart(app));
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    if (app !== undefined) rmSync(app.scratch, { recursive: true, force: true });
  });

  const served = {
    post: (delivery: Parameters<typeof postTo>[1]) => postTo(`${url}${NEXT_PATH}`, delivery),
    output: () => server?.output() ?? "",
  };

  it("copy-to: the dry run writes nothing, the run writes the factory and the handler file, a re-run keeps it", () => {
    if (record === undefined) throw new Error("copy-to did not run");
    expectCopyToKeptItsWord(record, options.expected);
  });

  it("next build builds the handler file as a dynamic route, with its own type check", () => {
    expect(buildLog).toMatch(/Finished TypeScript/);
    expect(buildLog).toMatch(new RegExp(`ƒ ${NEXT_PATH}\\n`));
  });

  it("next start: a signed orders.place is handled (200) and the stub handler logged it", async () => {
    await expectHandledByStub(served);
  });

  it("next start: a forged delivery is refused (401)", async () => {
    await expectForgedRefused(served);
  });

  return {
    app: () => {
      if (app === undefined) throw new Error("the app is not made");
      return app;
    },
    buildLog: () => buildLog,
    url: () => url,
    output: served.output,
  };
}

/** The edge functions `next build` wrote to the app's middleware manifest, by page. */
export function edgeFunctions(app: NextApp): string[] {
  const manifest = JSON.parse(readFileSync(join(app.dir, ".next/server/middleware-manifest.json"), "utf8")) as {
    functions: Record<string, unknown>;
  };
  return Object.keys(manifest.functions);
}
