// copy-to --edge into a Next.js App Router app made with create-next-app --src-dir --no-cache-components (Next.js
// refuses a `runtime` export under Cache Components): src/app/api/webhooks/commercelayer/route.ts with
// `export const runtime = "edge"` on the edge factory in src/lib/, built by `next build` as an edge function and
// served by `next start`. Needs `npm run emulators:install`.
import { describe, expect, it } from "vitest";
import { edgeFunctions, nextCopySuite } from "./next-suite.ts";

describe("copy-to --edge into a create-next-app App Router app (src/): next build, next start", () => {
  const suite = nextCopySuite({
    create: { router: "app", srcDir: true, cacheComponents: false },
    args: ["--edge"],
    expected: {
      detected: "Next.js, App Router (app/ or src/app/)",
      libDir: "src/lib/commercelayer",
      handlerFile: "src/app/api/webhooks/commercelayer/route.ts",
      envExample: ".env.example",
    },
  });

  it("next build made the route an edge function", () => {
    expect(edgeFunctions(suite.app())).toEqual(["/api/webhooks/commercelayer/route"]);
  });
});
