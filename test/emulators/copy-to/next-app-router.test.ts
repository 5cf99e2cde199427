// copy-to into a Next.js App Router app as create-next-app makes it (TypeScript, app/, Cache Components on, as its
// defaults are): app/api/webhooks/commercelayer/route.ts on the Vercel factory, built by `next build` and served by
// `next start`. On the fresh app, `--edge` is refused: Next.js refuses `export const runtime = "edge"` under Cache
// Components, and the build would fail. Needs `npm run emulators:install`.
import { describe, expect, it } from "vitest";
import { type CommandRun, copyTo, fileTree } from "./copy-to-run.ts";
import { edgeFunctions, nextCopySuite } from "./next-suite.ts";

let edgeRefusal: { run: CommandRun; before: Record<string, string>; after: Record<string, string> } | undefined;

describe("copy-to into a create-next-app App Router app: next build, next start", () => {
  const suite = nextCopySuite({
    create: { router: "app", srcDir: false },
    args: ["--topics", "orders.place,customers.create"],
    expected: {
      detected: "Next.js, App Router (app/ or src/app/)",
      libDir: "lib/commercelayer",
      handlerFile: "app/api/webhooks/commercelayer/route.ts",
      envExample: ".env.example",
    },
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

  it("the route runs on Node.js (no edge function), with a stub per topic asked for", () => {
    expect(edgeFunctions(suite.app())).toEqual([]);
    expect(suite.buildLog()).toMatch(/Cache Components enabled/);
  });
});
