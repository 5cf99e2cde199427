// copy-to into a Next.js pages-router app as create-next-app makes it (TypeScript, pages/): the API route
// pages/api/webhooks/commercelayer.ts on the Node factory, with Next.js's body parser off (the signature covers the
// raw bytes), built by `next build` and served by `next start`. Needs `npm run emulators:install`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nextCopySuite } from "./next-suite.ts";

const HANDLER = "pages/api/webhooks/commercelayer.ts";

describe("copy-to into a create-next-app pages-router app: next build, next start", () => {
  const suite = nextCopySuite({
    create: { router: "pages", srcDir: false },
    args: [],
    expected: {
      detected: "Next.js, pages router (pages/ or src/pages/)",
      libDir: "lib/commercelayer",
      handlerFile: HANDLER,
      envExample: ".env.example",
    },
  });

  it("the API route turns Next.js's body parser off", () => {
    expect(readFileSync(join(suite.app().dir, HANDLER), "utf8")).toContain(
      "export const config = { api: { bodyParser: false } };",
    );
  });
});
