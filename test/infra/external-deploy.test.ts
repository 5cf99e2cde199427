// What `npm run build` lays out for deploying external resources, from the handlers file alone: the kinds it
// implements and nothing else, on every platform (Vercel's .vercel/output functions, Netlify's function config,
// the Serverless function serverless.yml includes), nothing at all from a file that implements none (and nothing left
// behind by an earlier build), and a build that stops, writing nothing, on a key that names no kind.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBundles } from "../../infra/build/build.ts";
import { deployedExternalPath, SERVERLESS_EXTERNAL_FILE } from "../../infra/build/external-deploy.ts";
import { EXTERNAL_KINDS } from "../../shared/external/kinds.ts";
import { SOME_KINDS } from "../fixtures/external-some-handlers.ts";
import { FIXTURE_HANDLERS, ROOT } from "../support/bundles.ts";

const DEPLOYABLES = [
  "dist/aws-lambda/commercelayer-external.mjs",
  "dist/vercel/commercelayer-external.mjs",
  "dist/netlify/commercelayer-external.mjs",
];

let outRoot: string;
beforeAll(() => {
  mkdirSync(join(ROOT, ".test-build"), { recursive: true });
  outRoot = mkdtempSync(join(ROOT, ".test-build", "external-deploy-"));
});
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

const build = (externalHandlersFile: string) =>
  buildBundles({ declarations: false, handlersFile: FIXTURE_HANDLERS, externalHandlersFile, outRoot });

/** The function folders of the Vercel output, as routes. */
function vercelFunctions(): string[] {
  const functions = join(outRoot, ".vercel/output/functions");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.name.endsWith(".func")) found.push(`/${relative(functions, path).replace(/\.func$/, "")}`);
      else if (entry.isDirectory()) walk(path);
    }
  };
  walk(functions);
  return found.sort();
}

interface ServerlessExternal {
  functions?: Record<
    string,
    {
      handler: string;
      role: string;
      environment: Record<string, string>;
      events: { httpApi: { method: string; path: string } }[];
    }
  >;
  resources?: { Resources: Record<string, { Type: string; Properties: { Policies: unknown[] } }> };
}
const serverlessExternal = () =>
  JSON.parse(readFileSync(join(outRoot, SERVERLESS_EXTERNAL_FILE), "utf8")) as ServerlessExternal;

describe("a file implementing some kinds", () => {
  beforeAll(() => build(join(ROOT, "test/fixtures/external-some-handlers.ts")));

  it("Vercel: one function per implemented kind at its path, beside the webhook's, the same bytes", () => {
    expect(vercelFunctions()).toEqual(
      ["/api/webhooks/commercelayer", ...SOME_KINDS.map((kind) => deployedExternalPath("vercel", kind))].sort(),
    );
    const bundle = readFileSync(join(outRoot, "dist/vercel/commercelayer-external.mjs"));
    for (const kind of SOME_KINDS) {
      const folder = join(outRoot, ".vercel/output/functions", `${deployedExternalPath("vercel", kind).slice(1)}.func`);
      expect(readFileSync(join(folder, "index.mjs")).equals(bundle)).toBe(true);
      expect(JSON.parse(readFileSync(join(folder, ".vc-config.json"), "utf8"))).toMatchObject({ handler: "index.mjs" });
    }
  });

  it("Netlify: the function's config lists exactly the implemented kinds' paths, written out for Netlify to read", () => {
    const source = readFileSync(join(outRoot, "dist/netlify/commercelayer-external.mjs"), "utf8");
    const paths = SOME_KINDS.map((kind) => deployedExternalPath("netlify", kind));
    expect(source).toContain(`var config = { path: ${JSON.stringify(paths).replaceAll(",", ", ")} };`);
  });

  it("Serverless: one function, one POST route per implemented kind, only those kinds' secret variables", () => {
    const { functions = {}, resources } = serverlessExternal();
    expect(Object.keys(functions)).toEqual(["commercelayer-external"]);
    const external = functions["commercelayer-external"];
    expect(external?.handler).toBe("dist/aws-lambda/commercelayer-external.handler");
    // Its own role, which may write the function's logs and nothing else.
    expect(Object.keys(resources?.Resources ?? {})).toEqual([external?.role]);
    expect(resources?.Resources[external?.role ?? ""]?.Properties.Policies).toEqual([
      {
        PolicyName: "commercelayer-external",
        PolicyDocument: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
              Resource: { "Fn::GetAtt": ["CommercelayerDashexternalLogGroup", "Arn"] },
            },
          ],
        },
      },
    ]);
    expect(external?.events).toEqual(
      SOME_KINDS.map((kind) => ({ httpApi: { method: "POST", path: deployedExternalPath("aws-lambda", kind) } })),
    );
    const variables = SOME_KINDS.map((kind) => EXTERNAL_KINDS[kind].secretEnv);
    expect(external?.environment).toEqual(
      Object.fromEntries(variables.map((variable) => [variable, `\${env:${variable}, ''}`])),
    );
  });

  it("each deployable's banner names the handlers file and the secret variables, not the webhook's", () => {
    for (const deployable of DEPLOYABLES) {
      const head = readFileSync(join(outRoot, deployable), "utf8").split("\n").slice(0, 12).join("\n");
      expect(head).toContain("test/fixtures/external-some-handlers.ts");
      expect(head).toContain("COMMERCELAYER_TAX_CALCULATOR_SECRET");
      expect(head).not.toContain("COMMERCELAYER_WEBHOOK_SECRET");
    }
  });
});

describe("then a file implementing none, into the same folder", () => {
  beforeAll(() => build(join(ROOT, "test/fixtures/external-no-handlers.ts")));

  it("leaves no external deployable behind (Netlify would deploy any file of dist/netlify)", () => {
    for (const deployable of DEPLOYABLES) expect(existsSync(join(outRoot, deployable)), deployable).toBe(false);
  });

  it("Vercel: the webhook function only; Serverless: no function, no role", () => {
    expect(vercelFunctions()).toEqual(["/api/webhooks/commercelayer"]);
    expect(serverlessExternal()).toEqual({});
  });
});

describe("a key that names no kind", () => {
  it("stops the build with the key and the kinds, writing nothing", async () => {
    await build(join(ROOT, "test/fixtures/external-some-handlers.ts"));
    const before = readFileSync(join(outRoot, SERVERLESS_EXTERNAL_FILE), "utf8");
    const typo = join(outRoot, "typo-handlers.ts");
    writeFileSync(
      typo,
      `export const externalHandlers = { "tax_calculator": () => ({ taxRate: 0.2 }), prices: () => ({ skuCode: "A", unitAmountCents: 1 }) };\n`,
    );
    await expect(build(typo)).rejects.toThrow(/"tax_calculator" is no external kind \(the kinds: payment-gateway/);
    expect(readFileSync(join(outRoot, SERVERLESS_EXTERNAL_FILE), "utf8")).toBe(before);
    expect(existsSync(join(outRoot, "dist/netlify/commercelayer-external.mjs"))).toBe(true);
  });
});
