// Each bundle's size as shipped, minified, and minified + gzipped.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { transform } from "esbuild";
import { BUNDLES } from "../build/bundles.ts";

export interface SizeResult {
  readonly bundle: string;
  readonly shippedBytes: number;
  readonly minifiedBytes: number;
  readonly minifiedGzipBytes: number;
}

export async function measureSizes(root: URL): Promise<SizeResult[]> {
  return Promise.all(
    BUNDLES.map(async (spec) => {
      const source = readFileSync(new URL(spec.outfile, root), "utf8");
      const { code } = await transform(source, { minify: true, format: "esm", loader: "js" });
      return {
        bundle: spec.outfile,
        shippedBytes: Buffer.byteLength(source),
        minifiedBytes: code.length,
        minifiedGzipBytes: gzipSync(code, { level: 9 }).length,
      };
    }),
  );
}
