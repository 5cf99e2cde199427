// The rules of shared/ (docs/layout.md): nothing in it imports from outside it, and only shared/node/ may use Node
// (its built-ins, Buffer, process, the Node platforms' packages); everything else is Web-standard, so that the edge
// factory can bundle it for runtimes with no Node at all.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/bundles.ts";

const SHARED = join(ROOT, "shared");

function sourcesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every module a file imports or re-exports, static or dynamic, type-only included, as written. */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** The code without its comments, so that a comment naming Buffer or process is not taken for a use of it. */
function codeOf(text: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  let code = "";
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token !== ts.SyntaxKind.SingleLineCommentTrivia && token !== ts.SyntaxKind.MultiLineCommentTrivia) {
      code += scanner.getTokenText();
    }
  }
  return code;
}

/** The Node-only uses a Web-standard file must not have: a built-in, a package, Buffer, `process` outside globalThis. */
function nodeUsesIn(text: string): string[] {
  const modules = importsOf(text).filter((name) => !name.startsWith("."));
  const code = codeOf(text);
  const globals = [
    ...(/\bBuffer\b/.test(code) ? ["Buffer"] : []),
    ...(/(?<!globalThis\??\.)\bprocess\b/.test(code) ? ["process"] : []),
  ];
  return [...modules, ...globals];
}

const files = sourcesUnder(SHARED).map((path) => ({
  path,
  name: relative(ROOT, path),
  text: readFileSync(path, "utf8"),
}));

describe("shared/", () => {
  it("holds sources to check (the walk found the pipeline)", () => {
    expect(files.map((file) => file.name)).toContain("shared/core/pipeline.ts");
  });

  it.each(files.map((file) => [file.name, file] as const))("%s imports nothing outside shared/", (_name, file) => {
    const outside = importsOf(file.text)
      .filter((name) => name.startsWith("."))
      .filter((name) => !resolve(dirname(file.path), name).startsWith(`${SHARED}/`));
    expect(outside).toEqual([]);
  });

  const web = files.filter((file) => !file.name.startsWith("shared/node/"));
  it.each(web.map((file) => [file.name, file] as const))("%s is Web-standard: no Node, no package", (_name, file) => {
    expect(nodeUsesIn(file.text)).toEqual([]);
  });
});

describe("the checks themselves", () => {
  it("see an import that leaves shared/, a Node built-in, a package, Buffer and process", () => {
    expect(importsOf('import { x } from "../../infra/build/build.ts";')).toEqual(["../../infra/build/build.ts"]);
    expect(nodeUsesIn('import { createHmac } from "node:crypto";')).toEqual(["node:crypto"]);
    expect(nodeUsesIn('export type { Context } from "@netlify/functions";')).toEqual(["@netlify/functions"]);
    expect(nodeUsesIn("const b = Buffer.from(text);")).toEqual(["Buffer"]);
    expect(nodeUsesIn("const v = process.env.X;")).toEqual(["process"]);
  });

  it("leave comments, ArrayBuffer and globalThis.process alone", () => {
    expect(nodeUsesIn("// uses Buffer and process.env\nconst a = new ArrayBuffer(1);")).toEqual([]);
    expect(nodeUsesIn("const v = globalThis.process?.env?.X;")).toEqual([]);
  });
});
