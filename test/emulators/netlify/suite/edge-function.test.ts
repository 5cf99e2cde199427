// "Where users put it", Netlify Edge Functions: a throwaway site (outside the repository) with the edge factory and its
// declarations in lib/ and netlify/edge-functions/commercelayer-webhook.ts written as docs/edge.md shows, declared in
// netlify.toml. tsc (strict, no @types/node) checks it; `netlify dev --offline` serves it in Deno (the edge package's
// binary, put on PATH: netlify-cli downloads nothing) to signed and forged deliveries. The secret comes from the site's
// environment through Netlify.env: a .env file for the first server, none for the second. One server at a time:
// `netlify dev` also binds a static server on port 3999, whatever --port says. Needs `npm run build` and
// `npm run emulators:install`.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SignedDelivery, TEST_SECRET } from "../../../support/deliveries.ts";
import { createUserProject, typeCheck, writeProjectFile, writeStrictTsconfig } from "../../../support/user-project.ts";
import { copyEdgeFactory, expectForgedRefused, expectHandledByUser, expectNoSecret } from "../../edge-copy.ts";
import { freePort, postTo, type ServerProcess, startServerProcess } from "../../server-process.ts";
import { CLI, cliEnv, ROOT } from "./netlify-cli.ts";

const FUNCTION = "commercelayer-webhook";
const PATH = "/webhooks/commercelayer";
const DENO = join(ROOT, "test/emulators/edge/node_modules/@deno/linux-x64-glibc/deno");
// The edge functions' bootstrap from netlify-cli's own dependencies, rather than a download from edge.netlify.com.
const BOOTSTRAP = join(ROOT, "test/emulators/netlify/node_modules/@netlify/edge-functions-dev/dist/deno/bootstrap.mjs");

const USER_EDGE_FUNCTION = `import { createEdgeWebhookHandler } from "../../lib/commercelayer-webhook-factory.mjs";

// Netlify's runtime global (its types come with @netlify/edge-functions; without them, this line declares it).
declare const Netlify: { readonly env: { get(name: string): string | undefined } };

export default createEdgeWebhookHandler(
  {
    "orders.place": async (event) => {
      console.log(JSON.stringify({ userHandler: "orders.place", id: event.id, number: event.data.attributes.number }));
    },
  },
  { secrets: () => Netlify.env.get("COMMERCELAYER_WEBHOOK_SECRET") },
);
`;

// Declared here rather than by \`export const config\` in the function: netlify-cli reads an inline config with a
// module from edge.netlify.com, which an offline run cannot fetch.
const NETLIFY_TOML = `[[edge_functions]]
  function = "${FUNCTION}"
  path = "${PATH}"
`;

interface Site {
  readonly folder: string;
  readonly home: string;
  readonly server: ServerProcess;
  readonly url: string;
}

let typeChecked: { code: number; output: string } | undefined;

/** The user's site (with `dotEnv` as its .env file, if given) under `netlify dev --offline`. */
async function startSite(dotEnv: string | undefined): Promise<Site> {
  const folder = createUserProject("netlify-edge");
  writeStrictTsconfig(folder, { nodeTypes: false });
  copyEdgeFactory(folder, "lib");
  writeProjectFile(folder, "netlify.toml", NETLIFY_TOML);
  writeProjectFile(folder, `netlify/edge-functions/${FUNCTION}.ts`, USER_EDGE_FUNCTION);
  if (dotEnv !== undefined) writeProjectFile(folder, ".env", dotEnv);
  typeChecked ??= await typeCheck(folder);
  const home = mkdtempSync(join(tmpdir(), "netlify-edge-home-"));
  // netlify-cli runs the `deno` it finds on PATH (it accepts ^2.4.2): this folder holds only that one.
  mkdirSync(join(home, "bin"));
  symlinkSync(DENO, join(home, "bin/deno"));
  const env = cliEnv(home, { NETLIFY_EDGE_BOOTSTRAP: pathToFileURL(BOOTSTRAP).href });
  env.PATH = [join(home, "bin"), env.PATH].join(delimiter);
  const port = await freePort();
  const server = startServerProcess(process.execPath, [CLI, "dev", "--offline", "--port", String(port)], {
    cwd: folder,
    env,
  });
  await server.waitForOutput(new RegExp(`Loaded edge function ${FUNCTION}\\s*$`, "m"), 90_000);
  return { folder, home, server, url: `http://127.0.0.1:${port}${PATH}` };
}

async function stopSite(site: Site | undefined): Promise<void> {
  await site?.server.stop();
  if (site !== undefined) for (const dir of [site.folder, site.home]) rmSync(dir, { recursive: true, force: true });
}

function target(site: () => Site | undefined) {
  const running = (): Site => {
    const started = site();
    if (started === undefined) throw new Error("netlify dev is not running");
    return started;
  };
  return {
    post: (delivery: SignedDelivery) => postTo(running().url, delivery),
    output: () => running().server.output(),
  };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`netlify-cli is not installed (${CLI}): run \`npm run emulators:install\``);
  if (!existsSync(DENO)) throw new Error(`${DENO} is missing: run \`npm run emulators:install\``);
  if (!existsSync(BOOTSTRAP)) throw new Error(`${BOOTSTRAP} is missing: run \`npm run emulators:install\``);
});

describe("a Netlify Edge Function (netlify/edge-functions/commercelayer-webhook.ts) under netlify dev --offline", () => {
  describe("with the secret in the site's .env", () => {
    let site: Site | undefined;
    beforeAll(async () => {
      site = await startSite(`COMMERCELAYER_WEBHOOK_SECRET=${TEST_SECRET}\n`);
    }, 120_000);
    afterAll(() => stopSite(site));
    const deliveries = target(() => site);

    it("the edge function type-checks with tsc --strict against the copied .d.mts (no @types/node)", () => {
      expect(typeChecked?.output).toBe("");
      expect(typeChecked?.code).toBe(0);
    });

    it("a signed orders.place is handled (200) in Deno and the user's handler ran with the delivery's id", async () => {
      await expectHandledByUser(deliveries);
      // netlify-cli prefixes what an edge function logs with its name.
      expect(deliveries.output()).toMatch(new RegExp(`^\\[${FUNCTION}\\] \\{"userHandler":"orders.place"`, "m"));
    });

    it("forged deliveries are refused (401) and run no handler", () => expectForgedRefused(deliveries));
  });

  describe("with no secret in the site's environment", () => {
    let site: Site | undefined;
    beforeAll(async () => {
      site = await startSite(undefined);
    }, 120_000);
    afterAll(() => stopSite(site));

    it("a signed delivery is answered 500 no_secret_configured and runs no handler", () =>
      expectNoSecret(target(() => site)));
  });
});
