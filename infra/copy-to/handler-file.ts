// The webhook files `npm run copy-to` writes once into a project: the route, function or module the platform calls,
// with a typed stub per topic, and with --deferred the worker that runs the deferred handlers (a second export on AWS
// Lambda, a background function on Netlify, whose map then lives in a module both functions import). They are the
// user's from then on; re-running the command never touches them.
import type { DeferredWiring } from "./deferred.ts";
import { exportLine, type Import, importLine } from "./module-system.ts";
import { importedName, importPath, type Target } from "./targets.ts";
import { type UserFile, type Wiring, yoursHeader } from "./user-file.ts";

/** The lines of one topic's stub, as an entry of the map. */
export function topicStub(topic: string, deferredNote?: string): string[] {
  const open = deferredNote === undefined ? "async (event) => {" : "deferred(async (event) => {";
  return [
    `  ${JSON.stringify(topic)}: ${open}`,
    topic === "*"
      ? "    // Every topic: event.topic names it, event.data is its resource (a `*` handler reads no related resource)."
      : `    // event.data is the ${topic.split(".")[0]} resource, typed; to read related ones, declare them: withIncludes([...], handler).`,
    `    // ${deferredNote ?? "Throw to answer 500: Commerce Layer then retries the delivery."}`,
    `    console.log(JSON.stringify({ msg: ${JSON.stringify(topic)}, id: event.id }));`,
    deferredNote === undefined ? "  }," : "  }),",
  ];
}

export interface WebhookFilesOptions {
  readonly target: Target;
  readonly topics: readonly string[];
  readonly origin: string;
  /** The copied factory's code file, relative to the project. */
  readonly factoryFile: string;
  readonly deferred?: { readonly wiring: DeferredWiring; readonly queueFile: string };
  /** The store: its engine, its copied code file, the function it imports from it, and the call that creates it. */
  readonly deduplicate?: {
    readonly engine: string;
    readonly file: string;
    readonly create: string;
    readonly store: string;
  };
}

/** Imports of one file, by module: only the modules it takes a name from. */
function importsOf(from: string, modules: readonly { file: string; names: (string | false)[] }[]): Import[] {
  return modules.flatMap(({ file, names }) => {
    const taken = names.filter((name): name is string => name !== false && name !== "");
    return taken.length === 0 ? [] : [{ names: taken, from: importPath(from, importedName(file)) }];
  });
}

/** The webhook's files: the handler file first (the one with the stubs), then the worker's, if it has its own. */
export function webhookFiles(options: WebhookFilesOptions): UserFile[] {
  const { target, topics, origin, factoryFile, deferred, deduplicate } = options;
  const note = deferred?.wiring.note;
  const keys = { what: "topics", names: topics, stub: (topic: string) => topicStub(topic, note) };
  const header = (what: string) => yoursHeader(what, origin, target.libDir);
  const stubs = topics.map((topic) => topicStub(topic, note));
  const handled = deferred === undefined ? "handlers" : `withHandOff(handlers, ${deferred.wiring.handOff})`;
  const receiving = `${target.shape.create}(${handled}${deduplicate === undefined ? "" : ", { deduplicate }"})`;
  const storeLines =
    deduplicate === undefined
      ? undefined
      : [
          "// A delivery Commerce Layer sends twice runs its handlers once: claims kept in this store.",
          `const deduplicate = { store: ${deduplicate.store} };`,
        ];
  const queue = deferred?.queueFile ?? "";
  const store = deduplicate === undefined ? [] : [{ file: deduplicate.file, names: [deduplicate.create] }];
  const separate = deferred?.wiring.workerFile;
  const receivingExport = exportLine(target.shape.exportName, receiving, target.syntax);
  /** What --deferred and --deduplicate add to the receiving file `from`, for a re-run that keeps it. */
  const wiringOf = (from: string, queueNames: string[], workerExport?: string): Wiring[] => [
    ...(deferred === undefined
      ? []
      : [
          {
            option: "--deferred",
            marker: "withHandOff(",
            how: "wrap slow handlers in deferred(...), and hand them off:",
            lines: [
              ...importsOf(from, [{ file: queue, names: queueNames }]).map((entry) => importLine(entry, target.syntax)),
              receivingExport,
              ...(workerExport === undefined ? [] : [workerExport]),
            ],
          },
        ]),
    ...(deduplicate === undefined
      ? []
      : [
          {
            option: `--deduplicate ${deduplicate.engine}`,
            marker: "deduplicate",
            how: "create the store and pass it as the `deduplicate` option:",
            lines: [
              ...importsOf(from, store).map((entry) => importLine(entry, target.syntax)),
              `const deduplicate = { store: ${deduplicate.store} };`,
              receivingExport,
            ],
          },
        ]),
  ];

  if (separate === undefined) {
    const worker = deferred?.wiring.workerExport;
    const from = target.handlerFile;
    return [
      {
        path: from,
        syntax: target.syntax,
        header: header(`Commerce Layer webhooks, POST ${target.urlPath}`),
        imports: importsOf(from, [
          { file: factoryFile, names: [target.shape.create, "defineWebhookHandlers"] },
          {
            file: queue,
            names:
              deferred === undefined
                ? []
                : ["deferred", "withHandOff", deferred.wiring.handOffImport, worker?.create ?? false],
          },
          ...store,
        ]),
        preamble: target.shape.preamble,
        map: { define: "defineWebhookHandlers", exported: false, stubs },
        body: storeLines,
        exports: [
          {
            name: target.shape.exportName,
            value: receiving,
            comment: worker === undefined ? undefined : "The receiving function: POST from Commerce Layer.",
          },
          ...(worker === undefined
            ? []
            : [
                {
                  name: worker.name,
                  value: `${worker.create}(handlers)`,
                  comment: "The worker: the SQS queue's event source function, runs the deferred handlers.",
                },
              ]),
        ],
        postscript: target.shape.postscript,
        keys,
        wiring: wiringOf(
          from,
          deferred === undefined
            ? []
            : ["deferred", "withHandOff", deferred.wiring.handOffImport, worker?.create ?? ""],
          worker === undefined ? undefined : exportLine(worker.name, `${worker.create}(handlers)`, target.syntax),
        ),
      },
    ];
  }

  // Netlify: two functions, one map.
  const mapFile = separate.handlersFile;
  return [
    {
      path: mapFile,
      syntax: target.syntax,
      header: header("Commerce Layer webhook handlers, for both Netlify functions"),
      imports: importsOf(mapFile, [
        { file: factoryFile, names: ["defineWebhookHandlers"] },
        { file: queue, names: ["deferred"] },
      ]),
      map: { define: "defineWebhookHandlers", exported: true, stubs },
      exports: [],
      keys,
    },
    {
      path: target.handlerFile,
      syntax: target.syntax,
      header: header(`Commerce Layer webhooks, POST ${target.urlPath}`),
      imports: importsOf(target.handlerFile, [
        { file: factoryFile, names: [target.shape.create] },
        { file: queue, names: ["withHandOff", deferred?.wiring.handOffImport ?? false] },
        ...store,
        { file: mapFile, names: ["handlers"] },
      ]),
      body: storeLines,
      exports: [{ name: target.shape.exportName, value: receiving }],
      postscript: target.shape.postscript,
      wiring: wiringOf(target.handlerFile, ["withHandOff", deferred?.wiring.handOffImport ?? ""]),
    },
    {
      path: separate.path,
      syntax: target.syntax,
      header: header("Commerce Layer webhooks, the background function that runs the deferred handlers"),
      imports: importsOf(separate.path, [
        { file: queue, names: [separate.create] },
        { file: mapFile, names: ["handlers"] },
      ]),
      exports: [{ name: "default", value: `${separate.create}(handlers)` }],
    },
  ];
}
