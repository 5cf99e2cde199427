// The generators read @commercelayer/sdk's resource types with TypeScript's own checker: a small module that imports
// them is compiled in memory (never written), and the checker answers what each resource holds.
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface SdkProbe {
  readonly checker: ts.TypeChecker;
  /** The probe module, compiled: its statements are the ones `source` wrote. */
  readonly probe: ts.SourceFile;
}

/** Compiles `source` (a module importing from "@commercelayer/sdk") as if it sat at the repository's root. */
export function compileSdkProbe(source: string): SdkProbe {
  const virtualFile = `${ROOT}__sdk_probe__.ts`;
  const host = ts.createCompilerHost({});
  const readSourceFile = host.getSourceFile;
  host.getSourceFile = (file, language) =>
    file === virtualFile ? ts.createSourceFile(file, source, language) : readSourceFile(file, language);
  const program = ts.createProgram(
    [virtualFile],
    {
      strict: true,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
    },
    host,
  );
  const probe = program.getSourceFile(virtualFile);
  if (probe === undefined) throw new Error("could not compile the SDK probe");
  return { checker: program.getTypeChecker(), probe };
}
