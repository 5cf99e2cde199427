// What a deployment serves of functions/external.ts: the kinds its `externalHandlers` implements, each at a path of
// its own ending in the kind's name (the path is what names the kind: shared/external/kinds.ts), and nothing at all for
// the kinds it leaves out, so that a URL nobody implemented is the platform's own 404, never a document.
// The build reads the file (importFresh), then lays the kinds out for each platform: Vercel one function per kind in
// .vercel/output (vercel-output.ts), Netlify the paths of the function's `config`, Serverless the function and its
// routes in a file serverless.yml includes.
import { join } from "node:path";
import { EXTERNAL_KIND_NAMES, EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { importFresh } from "./fresh-import.ts";

/** The file every external deployable imports its handlers from. */
export const EXTERNAL_HANDLERS_FILE = "functions/external.ts";

/** Where each deployment serves the external resources: a kind at `<base>/<kind>`. */
export const DEPLOYED_EXTERNAL_BASES = {
  vercel: "/api/external",
  "aws-lambda": "/external",
  netlify: "/external",
} as const;

export type ExternalPlatformName = keyof typeof DEPLOYED_EXTERNAL_BASES;

export const deployedExternalPath = (platform: ExternalPlatformName, kind: ExternalKind): string =>
  `${DEPLOYED_EXTERNAL_BASES[platform]}/${kind}`;

/** The kinds the file's `externalHandlers` implements; a key that names no kind (a typo) stops the build. */
export async function implementedExternalKinds(file: string, root: string): Promise<ExternalKind[]> {
  const { externalHandlers } = await importFresh(`export { externalHandlers } from ${JSON.stringify(file)};`, root);
  if (typeof externalHandlers !== "object" || externalHandlers === null)
    throw new Error(`${file} must export externalHandlers = defineExternalHandlers({...})`);
  const keys = Object.keys(externalHandlers);
  const unknown = keys.filter((key) => !EXTERNAL_KIND_NAMES.includes(key as ExternalKind));
  if (unknown.length > 0)
    throw new Error(
      `${file}: ${unknown.map((key) => `"${key}"`).join(", ")} ${unknown.length === 1 ? "is" : "are"} no external kind (the kinds: ${EXTERNAL_KIND_NAMES.join(", ")})`,
    );
  return EXTERNAL_KIND_NAMES.filter((kind) => keys.includes(kind));
}

/**
 * The file serverless.yml takes the external-resource function (`functions`) and its role (`resources`) from; `{}`
 * when no kind is implemented, so that neither exists.
 */
export const SERVERLESS_EXTERNAL_FILE = "dist/aws-lambda/commercelayer-external.serverless.json";

const LAMBDA_BUNDLE = "dist/aws-lambda/commercelayer-external";
/** Serverless's logical id for the function's log group (its name with `-` written `Dash`). */
const LOG_GROUP = "CommercelayerDashexternalLogGroup";
const ROLE = "CommercelayerExternalRole";

/**
 * The Serverless function for `kinds`: the built bundle, one HTTP API route per kind, only those kinds' secret
 * variables, taken from the deploying shell as the webhook secret is (`${env:...}` is resolved by Serverless), and a
 * role of its own that may write its logs and nothing else (without one, Serverless's shared default role would carry
 * the worker's SQS rights).
 */
export function serverlessExternal(kinds: readonly ExternalKind[]): Record<string, unknown> {
  if (kinds.length === 0) return {};
  const variables = [...new Set(kinds.map((kind) => EXTERNAL_KINDS[kind].secretEnv))];
  const functions = {
    "commercelayer-external": {
      handler: `${LAMBDA_BUNDLE}.handler`,
      description: `Answers Commerce Layer's external-resource calls: ${kinds.join(", ")}`,
      package: { patterns: [`${LAMBDA_BUNDLE}.mjs`] },
      role: ROLE,
      environment: Object.fromEntries(variables.map((variable) => [variable, `\${env:${variable}, ''}`])),
      events: kinds.map((kind) => ({ httpApi: { method: "POST", path: deployedExternalPath("aws-lambda", kind) } })),
    },
  };
  const role = {
    Type: "AWS::IAM::Role",
    Properties: {
      AssumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
      },
      Policies: [
        {
          PolicyName: "commercelayer-external",
          PolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: { "Fn::GetAtt": [LOG_GROUP, "Arn"] },
              },
            ],
          },
        },
      ],
    },
  };
  return { functions, resources: { Resources: { [ROLE]: role } } };
}

/**
 * The Netlify function's entry: the handler, and its `config` with one path per kind written out, since Netlify reads
 * `config` from the file without running it (a value esbuild computed would not be read).
 */
export function netlifyExternalEntry(entry: string, root: string, kinds: readonly ExternalKind[]): string {
  const paths = kinds.map((kind) => deployedExternalPath("netlify", kind));
  return [
    `export { default } from ${JSON.stringify(join(root, entry))};`,
    `export const config = { path: ${JSON.stringify(paths)} };`,
  ].join("\n");
}
