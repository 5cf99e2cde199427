// The external resources as `npm start` serves them: each platform's BUILT external factory
// (dist/factories/<platform>/commercelayer-external-factory.mjs) given one handler map, called through its platform's
// shape. The map is functions/external.ts's `externalHandlers` for the kinds it implements and the demo's
// (functions/external-demo.ts) for every other kind, so that every endpoint answers with no configuration.
//
// The two handler files are imported afresh at each (re)build (infra/build/fresh-import.ts).
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { EXTERNAL_KIND_NAMES, type ExternalKind } from "../../shared/external/kinds.ts";
import { ROOT } from "../build/build.ts";
import { EXTERNAL_HANDLERS_FILE } from "../build/external-deploy.ts";
import { importFresh } from "../build/fresh-import.ts";
import { type Answer, callEntry, platformInput, readAnswer, type SentRequest } from "../drive/entry-points.ts";
import { EXTERNAL_PLATFORM_NAMES, type ExternalPlatformName, externalPath } from "./external-paths.ts";
import type { LocalPlatform, LocalRequest } from "./platforms.ts";

export const EXTERNAL_DEMO_FILE = "functions/external-demo.ts";

const factoryBundle = (platform: ExternalPlatformName) =>
  `dist/factories/${platform}/commercelayer-external-factory.mjs`;

const CREATE = {
  vercel: "createVercelExternalHandler",
  "aws-lambda": "createLambdaExternalHandler",
  netlify: "createNetlifyExternalHandler",
} as const satisfies Record<ExternalPlatformName, string>;

type AnyFunction = (...args: unknown[]) => Promise<unknown>;
type HandlerMap = Partial<Record<ExternalKind, unknown>>;

interface LoadedExternal {
  /** Per platform and kind: the factory's handler. Lambda gets one per kind (`options.kind`), as a function per route. */
  readonly handlers: Record<ExternalPlatformName, (kind: ExternalKind) => AnyFunction>;
  readonly yours: readonly ExternalKind[];
  readonly unknownKeys: readonly string[];
}

/** The two maps, as the files are now. */
async function importHandlerMaps(userFile: string): Promise<{ yours: HandlerMap; demo: HandlerMap }> {
  const module = await importFresh(
    [
      `export { demoExternalHandlers as demo } from ${JSON.stringify(join(ROOT, EXTERNAL_DEMO_FILE))};`,
      `export { externalHandlers as yours } from ${JSON.stringify(userFile)};`,
    ].join("\n"),
    ROOT,
  );
  const { yours, demo } = module as { yours?: HandlerMap; demo?: HandlerMap };
  if (typeof yours !== "object" || yours === null)
    throw new Error(`${userFile} must export externalHandlers = defineExternalHandlers({...})`);
  return { yours, demo: demo ?? {} };
}

let generation = 0;

async function loadExternal(root: URL, userFile: string): Promise<LoadedExternal> {
  const query = `?external=${generation++}`;
  const { yours, demo } = await importHandlerMaps(userFile);
  const handlers: HandlerMap = { ...demo, ...yours };
  const folder = fileURLToPath(root).replace(/\/$/, "");
  const create = async (platform: ExternalPlatformName) => {
    const module = (await import(`${pathToFileURL(`${folder}/${factoryBundle(platform)}`).href}${query}`)) as Record<
      string,
      unknown
    >;
    const factory = module[CREATE[platform]];
    if (typeof factory !== "function")
      throw new Error(`${factoryBundle(platform)} does not export ${CREATE[platform]}`);
    return factory as (map: HandlerMap, options?: { kind?: ExternalKind }) => AnyFunction;
  };
  const [vercel, lambda, netlify] = await Promise.all([create("vercel"), create("aws-lambda"), create("netlify")]);
  // Vercel and Netlify route by the URL's last segments; API Gateway routes per path, so Lambda gets one per kind.
  const vercelHandler = vercel(handlers);
  const netlifyHandler = netlify(handlers);
  const lambdaHandlers = new Map(EXTERNAL_KIND_NAMES.map((kind) => [kind, lambda(handlers, { kind })]));
  return {
    handlers: {
      vercel: () => vercelHandler,
      netlify: () => netlifyHandler,
      "aws-lambda": (kind) => lambdaHandlers.get(kind) as AnyFunction,
    },
    yours: EXTERNAL_KIND_NAMES.filter((kind) => kind in yours),
    unknownKeys: Object.keys(yours).filter((key) => !EXTERNAL_KIND_NAMES.includes(key as ExternalKind)),
  };
}

function sent(request: LocalRequest): SentRequest {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = value;
  return { method: request.method, url: request.url.href, headers, body: request.body };
}

/** The HTTP API v2 event API Gateway builds for this route: its own path, not the webhook's. */
function lambdaInput(request: LocalRequest, kind: ExternalKind): unknown[] {
  const [event] = platformInput("lambda-http-api-v2", sent(request)) as [Record<string, unknown>];
  const path = externalPath("aws-lambda", kind).replace(/^\/aws-lambda/, "");
  const context = event.requestContext as { http: Record<string, unknown> };
  const routeKey = `POST ${path}`;
  return [
    { ...event, rawPath: path, routeKey, requestContext: { ...context, routeKey, http: { ...context.http, path } } },
  ];
}

export interface ExternalPlatforms {
  /** The handler file served (absolute): functions/external.ts unless `npm start -- --external-handlers FILE`. */
  readonly file: string;
  /** One per platform and kind, served by the local receiver beside the webhook paths. */
  readonly platforms: LocalPlatform[];
  /** The kinds functions/external.ts implements (the demo answers the others). */
  yours(): readonly ExternalKind[];
  /** Keys of functions/external.ts that name no kind (a typo): served by nothing. */
  unknownKeys(): readonly string[];
  /** Serves the factories now in `root`'s dist/ and the handler files as they are now; throws and keeps the last. */
  reload(root: URL): Promise<void>;
}

export async function loadExternalPlatforms(
  root: URL,
  userFile = join(ROOT, EXTERNAL_HANDLERS_FILE),
): Promise<ExternalPlatforms> {
  let current = await loadExternal(root, userFile);
  const platforms: LocalPlatform[] = EXTERNAL_PLATFORM_NAMES.flatMap((platform) =>
    EXTERNAL_KIND_NAMES.map(
      (kind): LocalPlatform => ({
        name: platform,
        path: externalPath(platform, kind),
        bundle: factoryBundle(platform),
        async handle(request): Promise<Answer> {
          const handler = current.handlers[platform](kind);
          if (platform === "aws-lambda") {
            const input = lambdaInput(request, kind);
            const context = {
              awsRequestId: randomUUID(),
              functionName: "commercelayer-external",
              getRemainingTimeInMillis: () => 6000,
            };
            return readAnswer(
              "lambda-http-api-v2",
              input,
              await callEntry(handler, "lambda-http-api-v2", input, context),
            );
          }
          const input = platformInput("web", sent(request));
          const context = {
            requestId: randomUUID(),
            ip: request.sourceIp,
            waitUntil: () => {},
            site: { name: "local" },
          };
          return readAnswer("web", input, await callEntry(handler, "web", input, context));
        },
      }),
    ),
  );
  return {
    file: userFile,
    platforms,
    yours: () => current.yours,
    unknownKeys: () => current.unknownKeys,
    async reload(next) {
      current = await loadExternal(next, userFile);
    },
  };
}
