// `--external <kinds>`: the external-resource factory of the platform and the files that serve the kinds, with a typed
// stub per kind that answers 422 until it is written (a stub that answered a result could authorize a payment or set a
// price). Where each kind's URL is: a Next.js catch-all route, one Vercel function per kind (outside Next.js, Vercel's
// `[...kind]` matches one segment only), one Netlify function with a path per kind, one Lambda with a route per kind,
// or one handler an Express app mounts on each path. The URL's last segments name the kind.
import { EXTERNAL_KIND_NAMES, EXTERNAL_KINDS, type ExternalKind } from "../../shared/external/kinds.ts";
import { editDistance } from "../local/send-topics.ts";
import type { FactoryFolder } from "./copied-files.ts";
import type { Project } from "./detect.ts";
import { importedName, importPath, type Target } from "./targets.ts";
import { type UserFile, yoursHeader } from "./user-file.ts";

/** What each kind's handler returns, as its stub says it. */
const RESULT_OF: Record<ExternalKind, string> = {
  "payment-gateway/authorize": "a PaymentResult, e.g. { transactionToken: charge.id, amountCents: charge.amount }",
  "payment-gateway/capture": "a PaymentResult, e.g. { transactionToken: capture.id, amountCents: capture.amount }",
  "payment-gateway/void": "a PaymentResult, e.g. { transactionToken: voided.id, amountCents: voided.amount }",
  "payment-gateway/refund": "a PaymentResult, e.g. { transactionToken: refund.id, amountCents: refund.amount }",
  "payment-gateway/customer-token": "a CustomerTokenResult, e.g. { customerToken: customer.id }",
  "tax-calculator": "a TaxResult, e.g. { taxRate: 0.22 }",
  prices: "a PriceResult, e.g. { skuCode: String(event.data.attributes.sku_code), unitAmountCents: 4900 }",
  "shipping-costs": "a ShippingCostResult, e.g. { amountCents: 700 }",
  "order-validation": '{ valid: true }, or invalidOrder([{ attribute: "base", message: "..." }])',
  promotion: 'a PromotionResult, e.g. { name: "Birthday", discountCents: 1500 }',
};

/** The code the stubs answer with: 422, which Commerce Layer records as the call's failure. */
export const STUB_FAILURE_CODE = "not_written";

export function kindStub(kind: ExternalKind): string[] {
  const resource = EXTERNAL_KINDS[kind].resource;
  return [
    `  ${JSON.stringify(kind)}: async (event) => {`,
    resource === undefined
      ? "    // event.data is what Commerce Layer sends (its type is not documented); event.payload is the whole document."
      : `    // event.data is the ${resource} resource, typed; event.relatedOne / relatedMany / find look up \`included\`.`,
    `    // Return ${RESULT_OF[kind]}.`,
    "    // Until then it answers 422, which Commerce Layer takes as a failed call.",
    `    console.log(JSON.stringify({ msg: ${JSON.stringify(kind)}, id: event.id }));`,
    `    return failure(${JSON.stringify(STUB_FAILURE_CODE)}, ${JSON.stringify(`the ${kind} handler is still the stub copy-to wrote`)});`,
    "  },",
  ];
}

/** The kinds of a comma-separated list, or why not: a kind that is not one, with the closest. */
export function parseKinds(list: string): { kinds: ExternalKind[] } | { refused: string } {
  const names = list
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) return { refused: `--external needs kinds: ${EXTERNAL_KIND_NAMES.join(", ")}` };
  for (const name of names) {
    if ((EXTERNAL_KIND_NAMES as readonly string[]).includes(name)) continue;
    const closest = [...EXTERNAL_KIND_NAMES].sort((a, b) => editDistance(name, a) - editDistance(name, b))[0];
    return {
      refused: `--external ${name}: not a kind of external resource; did you mean "${closest}"? (kinds: ${EXTERNAL_KIND_NAMES.join(", ")})`,
    };
  }
  return { kinds: [...new Set(names)] as ExternalKind[] };
}

export interface ExternalWiring {
  readonly factory: FactoryFolder;
  readonly create: string;
  /** The files that serve the kinds, each with the kinds it holds. */
  readonly files: readonly { readonly path: string; readonly kinds: readonly ExternalKind[] }[];
  readonly exportName: string;
  readonly preamble?: readonly string[];
  /** Netlify's path config, from the kinds' URLs. */
  readonly postscript?: (paths: readonly string[]) => string[];
  /** The URL path of a kind. */
  readonly urlOf: (kind: ExternalKind) => string;
}

export function externalWiringFor(project: Project, target: Target, kinds: readonly ExternalKind[]): ExternalWiring {
  const ts = project.typescript;
  const src = project.usesSrc ? "src/" : "";
  const urlOf = (kind: ExternalKind) => `${target.externalBase}/${kind}`;
  const all = (path: string) => [{ path, kinds }];
  switch (project.kind) {
    case "nextjs-app": {
      const edge = target.factory === "edge";
      return {
        factory: target.factory,
        create: edge ? "createEdgeExternalHandler" : "createVercelExternalHandler",
        files: all(`${src}app/api/external/[...kind]/route.${ts ? "ts" : "js"}`),
        exportName: "POST",
        preamble: target.shape.preamble,
        urlOf,
      };
    }
    case "nextjs-pages":
      return {
        factory: "node",
        create: "createNodeExternalHandler",
        files: all(`${src}pages/api/external/[...kind].${ts ? "ts" : "js"}`),
        exportName: "default",
        preamble: target.shape.preamble,
        urlOf,
      };
    case "vercel-api":
      return {
        factory: "vercel",
        create: "createVercelExternalHandler",
        files: kinds.map((kind) => ({ path: `api/external/${kind}.${ts ? "ts" : "mjs"}`, kinds: [kind] })),
        exportName: "POST",
        urlOf,
      };
    case "netlify":
      return {
        factory: "netlify",
        create: "createNetlifyExternalHandler",
        files: all(`${project.functionsDir ?? "netlify/functions"}/commercelayer-external.${ts ? "mts" : "mjs"}`),
        exportName: "default",
        postscript: (paths) => [`export const config = { path: ${JSON.stringify(paths)} };`],
        urlOf,
      };
    case "serverless":
      return {
        factory: "aws-lambda",
        create: "createLambdaExternalHandler",
        files: all(target.handlerFile.replace("commercelayer-webhook", "commercelayer-external")),
        exportName: "handler",
        urlOf,
      };
    case "express":
    case "node":
      return {
        factory: "node",
        create: "createNodeExternalHandler",
        files: all(target.handlerFile.replace("commercelayer-webhook", "commercelayer-external")),
        exportName: "commercelayerExternal",
        urlOf,
      };
  }
}

export function externalFiles(options: {
  readonly wiring: ExternalWiring;
  readonly target: Target;
  readonly origin: string;
  readonly factoryFile: string;
}): UserFile[] {
  const { wiring, target, origin, factoryFile } = options;
  return wiring.files.map(({ path, kinds }) => {
    const urls = kinds.map(wiring.urlOf);
    return {
      path,
      syntax: target.syntax,
      header: yoursHeader(
        kinds.length === 1
          ? `Commerce Layer external resources, POST ${urls[0]}`
          : `Commerce Layer external resources (${kinds.join(", ")}), each at POST ${target.externalBase}/<kind>`,
        origin,
        target.libDir,
      ),
      imports: [
        {
          names: [wiring.create, "defineExternalHandlers", "failure"],
          from: importPath(path, importedName(factoryFile)),
        },
      ],
      preamble: wiring.preamble,
      map: { define: "defineExternalHandlers", exported: false, stubs: kinds.map(kindStub) },
      exports: [{ name: wiring.exportName, value: `${wiring.create}(handlers)` }],
      postscript: wiring.postscript?.(urls),
      keys: { what: "kinds", names: kinds, stub: (kind: string) => kindStub(kind as ExternalKind) },
    };
  });
}
