// copy-to into a Next.js App Router app as create-next-app makes it (TypeScript, app/, Cache Components on, as its
// defaults are): app/api/webhooks/commercelayer/route.ts on the Vercel factory, and with --external prices the
// catch-all route app/api/external/[...kind]/route.ts on the Vercel external-resource factory, built by `next build`
// (its own strict type check included) and served by `next start`. On the fresh app, `--edge` is refused: Next.js refuses `export const runtime = "edge"` under Cache
// Components, and the build would fail. Needs `npm run emulators:install`.

import { describe, expect, it } from "vitest";
import { EXTERNAL_SECRETS, signedExternalCall } from "../../support/external-requests.ts";
import { waitForJsonLine } from "../../support/log-lines.ts";
import { postTo } from "../server-process.ts";
import { type CommandRun, copyTo, fileTree } from "./copy-to-run.ts";
import { edgeFunctions, nextCopySuite } from "./next-suite.ts";

const EXTERNAL_ROUTE = "app/api/external/[...kind]/route.ts";

let edgeRefusal: { run: CommandRun; before: Record<string, string>; after: Record<string, string> } | undefined;

describe("copy-to into a create-next-app App Router app: next build, next start", () => {
  const suite = nextCopySuite({
    create: { router: "app", srcDir: false },
    args: ["--topics", "orders.place,customers.create", "--external", "prices"],
    expected: {
      detected: "Next.js, App Router (app/ or src/app/)",
      libDir: "lib/commercelayer",
      handlerFile: "app/api/webhooks/commercelayer/route.ts",
      envExample: ".env.example",
      alsoCopied: [
        "lib/commercelayer/commercelayer-external-factory.mjs",
        "lib/commercelayer/commercelayer-external-factory.d.mts",
      ],
      alsoYours: [EXTERNAL_ROUTE],
    },
    env: { COMMERCELAYER_MARKET_SECRET: EXTERNAL_SECRETS.COMMERCELAYER_MARKET_SECRET },
    beforeCopy: async (app) => {
      const before = fileTree(app.dir);
      const run = await copyTo(app.dir, ["--edge"]);
      edgeRefusal = { run, before, after: fileTree(app.dir) };
    },
  });

  it("--edge on an app with Cache Components on is refused, and writes nothing", () => {
    expect(edgeRefusal?.run.code).toBe(2);
    expect(edgeRefusal?.run.stderr).toContain("cacheComponents");
    expect(edgeRefusal?.after).toEqual(edgeRefusal?.before);
  });

  it("--external prices: next build builds the catch-all route; a signed call reaches the stub (422 until written)", async () => {
    expect(suite.buildLog()).toMatch(/ƒ \/api\/external\/\[\.\.\.kind\]\n/);
    const answer = await postTo(
      `${suite.url()}/api/external/prices`,
      signedExternalCall("prices", { id: "li_next_1" }),
    );
    expect(answer.status, answer.body).toBe(422);
    expect(JSON.parse(answer.body)).toMatchObject({ success: false, error: { code: "not_written" } });
    await waitForJsonLine(suite.output, (entry) => entry.msg === "prices" && entry.id === "li_next_1");
    const forged = await postTo(`${suite.url()}/api/external/prices`, signedExternalCall("prices", { secret: "no" }));
    expect(forged.status).toBe(401);
  });

  it("the route runs on Node.js (no edge function), with a stub per topic asked for", () => {
    expect(edgeFunctions(suite.app())).toEqual([]);
    expect(suite.buildLog()).toMatch(/Cache Components enabled/);
  });
});
