// Budgets the shipped bundles must keep: at most COPIED_FILE_BUDGET minified (or the larger budget a bundle states,
// with its reason, in infra/build/bundles.ts), and no import but Node's own modules (a user's
// function must not need anything installed). Fails when a change makes a bundle grow or pull in a dependency.
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { gzipSync } from "node:zlib";
import { build, transform } from "esbuild";
import { describe, expect, it } from "vitest";
import { BUNDLES, COPIED_FILE_BUDGET } from "../../infra/build/bundles.ts";
import { fixtureBundlePath } from "../support/bundles.ts";

async function importsOf(file: string): Promise<string[]> {
  // Bundle the file again with every import left external: the metafile then names each one it makes.
  const result = await build({
    entryPoints: [file],
    bundle: true,
    write: false,
    platform: "neutral",
    format: "esm",
    metafile: true,
    external: ["*"],
    logLevel: "silent",
  });
  return Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((imported) => imported.path));
}

describe.each(BUNDLES.map((spec) => [spec.outfile, spec] as const))("%s", (outfile, spec) => {
  // The fixture build (test/fixtures/): what the deployables hold of handlers is the suites' own, never the user's.
  const file = fixtureBundlePath(outfile);

  const budget = spec.minifiedBudget ?? COPIED_FILE_BUDGET;

  it(`is at most ${budget} bytes minified`, async () => {
    const { code } = await transform(readFileSync(file, "utf8"), { minify: true, format: "esm", loader: "js" });
    const gzipped = gzipSync(code).length;
    console.info(
      `${outfile}: ${readFileSync(file).length} B shipped, ${code.length} B minified, ${gzipped} B minified+gzip`,
    );
    expect(code.length).toBeLessThanOrEqual(budget);
  });

  it(`imports nothing but Node built-ins${spec.external ? ` and ${spec.external.join(", ")}` : ""}`, async () => {
    const imports = await importsOf(file);
    const foreign = imports.filter((path) => !(path.startsWith("node:") || builtinModules.includes(path)));
    expect(foreign).toEqual([...(spec.external ?? [])]);
    expect(readFileSync(file, "utf8")).not.toMatch(/\brequire\(/);
  });
});

describe("the budget check itself", () => {
  it("sees a dependency when a bundle has one", async () => {
    const { writeFileSync, mkdtempSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const file = join(mkdtempSync(join(tmpdir(), "cl-budget-")), "bundle.mjs");
    writeFileSync(
      file,
      'import { createHmac } from "node:crypto";\nimport left from "left-pad";\nexport const x = [createHmac, left];\n',
    );
    expect(await importsOf(file)).toEqual(["node:crypto", "left-pad"]);
  });
});
