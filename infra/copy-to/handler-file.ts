// The handler file `npm run copy-to` writes once into a project: the route, function or module the platform calls,
// with a typed stub per topic. It is the user's from then on; re-running the command never touches it.

export interface HandlerFileShape {
  /** The factory the file calls, e.g. createVercelWebhookHandler. */
  readonly create: string;
  /** How the file exports it: `export const POST = `, `export default `, ... */
  readonly exportLine: (call: string) => string;
  /** Lines before the handler map (Next.js's runtime or body-parser config). */
  readonly preamble?: readonly string[];
  /** Lines after the export (Netlify's path config). */
  readonly postscript?: readonly string[];
}

export function renderHandlerFile(options: {
  readonly shape: HandlerFileShape;
  readonly importPath: string;
  readonly topics: readonly string[];
  readonly urlPath: string;
  readonly origin: string;
}): string {
  const { shape, importPath, topics, urlPath, origin } = options;
  const stubs = topics.map((topic) =>
    [
      `  ${JSON.stringify(topic)}: async (event) => {`,
      `    // event.data is the ${topic.split(".")[0]} resource, typed; event.relatedOne / relatedMany / find look up \`included\`.`,
      "    // Throw to answer 500: Commerce Layer then retries the delivery.",
      `    console.log(JSON.stringify({ msg: ${JSON.stringify(topic)}, id: event.id }));`,
      "  },",
    ].join("\n"),
  );
  return [
    `// Commerce Layer webhooks, POST ${urlPath}: written once by \`npm run copy-to\` (${origin}). This file is yours:`,
    "// re-running the command updates the factory beside your other libraries, never this file.",
    `import { ${shape.create}, defineWebhookHandlers } from ${JSON.stringify(importPath)};`,
    "",
    ...(shape.preamble === undefined ? [] : [...shape.preamble, ""]),
    "const handlers = defineWebhookHandlers({",
    ...stubs,
    "});",
    "",
    shape.exportLine(`${shape.create}(handlers)`),
    ...(shape.postscript ?? []),
    "",
  ].join("\n");
}
