// The handlers files checked before anything is built or deployed: a misspelt topic key is otherwise only logged
// `ignored` once deployed (Commerce Layer never sends `orders.aprove`), and TypeScript's own excess-property error
// names only the first of several. Two checks, every problem one line:
//   - each key of the exported `handlers` map is a topic, `resource.*` of a known resource, or `*` (all of them named,
//     with the closest topic);
//   - the files type-check, with the project's compiler options (every error, not only the first).
// `npm run build` (and so every deploy) stops on a problem; `npm start` runs this as a child process on each build
// and says so loudly, and keeps serving.
import { relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { closestKnownTopic, KNOWN_TOPICS } from "../local/send-topics.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

const KNOWN_RESOURCES: ReadonlySet<string> = new Set([...KNOWN_TOPICS].map((topic) => topic.split(".")[0] as string));

/** Why a key of the handler map is not one Commerce Layer can send, or undefined when it is fine. */
export function topicKeyProblem(key: string): string | undefined {
  if (key === "*" || KNOWN_TOPICS.has(key)) return undefined;
  if (key.endsWith(".*")) {
    const resource = key.slice(0, -2);
    if (KNOWN_RESOURCES.has(resource)) return undefined;
    return `"${key}": no Commerce Layer topic starts with "${resource}."`;
  }
  return `"${key}" is not a Commerce Layer topic; did you mean "${closestKnownTopic(key)}"?`;
}

interface HandlerKey {
  readonly name: string;
  /** The key itself, where a problem is reported. */
  readonly node: ts.Node;
  /** The whole entry, key and handler: what TypeScript says inside it follows from the key when the key is wrong. */
  readonly entry: ts.Node;
}

/** The keys of the object literal the file exports as `handlers` (through `defineWebhookHandlers(...)` or not). */
function handlerKeys(source: ts.SourceFile): HandlerKey[] {
  const keys: HandlerKey[] = [];
  const literalOf = (expression: ts.Expression): ts.ObjectLiteralExpression | undefined => {
    let inner: ts.Expression = expression;
    while (ts.isSatisfiesExpression(inner) || ts.isAsExpression(inner) || ts.isParenthesizedExpression(inner)) {
      inner = inner.expression;
    }
    if (ts.isCallExpression(inner) && inner.arguments.length === 1) inner = inner.arguments[0] as ts.Expression;
    return ts.isObjectLiteralExpression(inner) ? inner : undefined;
  };
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    const exported = statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== "handlers" || !declaration.initializer)
        continue;
      for (const property of literalOf(declaration.initializer)?.properties ?? []) {
        const name = property.name;
        if (name && (ts.isStringLiteral(name) || ts.isIdentifier(name) || ts.isNumericLiteral(name))) {
          keys.push({ name: name.text, node: name, entry: property });
        }
      }
    }
  }
  return keys;
}

function compilerOptions(): ts.CompilerOptions {
  const path = resolve(ROOT, "tsconfig.json");
  const { config } = ts.readConfigFile(path, ts.sys.readFile);
  return { ...ts.parseJsonConfigFileContent(config, ts.sys, ROOT).options, noEmit: true };
}

function where(node: ts.Node | undefined, file: ts.SourceFile | undefined, start?: number): string {
  if (file === undefined) return "";
  const { line, character } = file.getLineAndCharacterOfPosition(start ?? node?.getStart(file) ?? 0);
  const path = relative(process.cwd(), file.fileName) || file.fileName;
  return `${path}:${line + 1}:${character + 1}: `;
}

/** Every problem of the handlers files, one line each; empty when they are fine. */
export function checkHandlersFiles(files: readonly string[]): string[] {
  const roots = files.map((file) => resolve(ROOT, file));
  const program = ts.createProgram(roots, compilerOptions());
  const problems: string[] = [];
  const misspelt = new Set<string>();
  const misspeltEntries: { file: string; start: number; end: number }[] = [];
  for (const root of roots) {
    const source = program.getSourceFile(root);
    if (source === undefined) {
      problems.push(`${root}: not found`);
      continue;
    }
    for (const key of handlerKeys(source)) {
      const problem = topicKeyProblem(key.name);
      if (problem === undefined) continue;
      misspelt.add(key.name);
      misspeltEntries.push({ file: source.fileName, start: key.entry.getStart(source), end: key.entry.getEnd() });
      problems.push(`${where(key.node, source)}${problem}`);
    }
  }
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ").replace(/\s+/g, " ");
    // TypeScript's excess-property error for a key already named above, with its closest topic, and what follows
    // from it inside that entry (an unknown key gives its handler's `event` no type).
    if ([...misspelt].some((key) => message.includes(`'"${key}"'`) || message.includes(`'${key}'`))) continue;
    const at = diagnostic.start ?? -1;
    const inEntry = misspeltEntries.some(
      (entry) => entry.file === diagnostic.file?.fileName && at >= entry.start && at < entry.end,
    );
    if (inEntry) continue;
    problems.push(`${where(undefined, diagnostic.file, diagnostic.start)}${message}`);
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `tsx infra/build/check-handlers.ts <file>...`: what `npm start` runs as a child, so its event loop never waits.
  const problems = checkHandlersFiles(process.argv.slice(2));
  for (const problem of problems) console.error(problem);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
