/**
 * Writes shared/generated/resource-attributes.ts: the attributes of the resources a webhook delivers, read from
 * @commercelayer/sdk's own resource types (everything but `id`, `type` and relationships) and written out in full,
 * so that neither the bundles nor their .d.ts files need the SDK installed. It writes their relationships too
 * (shared/generated/resource-relationships.ts, rendered by generate-resource-relationships.ts), so that one run
 * after an SDK upgrade refreshes every type read from the SDK.
 *
 * Run `npm run generate` after upgrading @commercelayer/sdk; a test fails when a generated file is stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { renderResourceRelationships } from "./generate-resource-relationships.ts";
import { compileSdkProbe } from "./sdk-probe.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const target = `${ROOT}shared/generated/resource-attributes.ts`;
const relationshipsTarget = `${ROOT}shared/generated/resource-relationships.ts`;

/** Resource type (as in `data.type`) → the SDK interface that describes it. */
export const SDK_RESOURCES: Readonly<Record<string, string>> = {
  orders: "Order",
  customers: "Customer",
  shipments: "Shipment",
  parcels: "Parcel",
  imports: "Import",
  customer_subscriptions: "CustomerSubscription",
  customer_password_resets: "CustomerPasswordReset",
  line_items: "LineItem",
  addresses: "Address",
  payment_methods: "PaymentMethod",
  shipping_methods: "ShippingMethod",
  skus: "Sku",
  stock_locations: "StockLocation",
  // What the external payment gateway receives (shared/external/kinds.ts).
  external_payments: "ExternalPayment",
  authorizations: "Authorization",
  captures: "Capture",
};

/** Where real deliveries differ from the SDK's type. */
const OVERRIDES: Readonly<Record<string, Readonly<Record<string, { type: string; doc: string }>>>> = {
  Order: {
    number: {
      type: "string | number | null",
      doc: "The order number: an integer in older payloads, a string in newer ones.",
    },
  },
};

function isRelationship(type: ts.Type, checker: ts.TypeChecker): boolean {
  const target = checker.getNonNullableType(type);
  const element = checker.isArrayType(target) ? checker.getTypeArguments(target as ts.TypeReference)[0] : target;
  if (element === undefined) return false;
  return element.getProperty("type") !== undefined && element.getProperty("id") !== undefined;
}

// The SDK's own aliases that appear in attribute types, written out so the generated file stands alone.
const SDK_ALIASES: Readonly<Record<string, string>> = { ObjectType: "Record<string, unknown>" };

function spellOut(printed: string): string {
  // `any` in the SDK's object types becomes `unknown`: a handler should check what it reads from free-form objects.
  return printed.replace(/\bany\b/g, "unknown").replace(/\b[A-Z][A-Za-z]*\b/g, (name) => {
    if (name === "Record") return name;
    const spelled = SDK_ALIASES[name];
    if (spelled === undefined) throw new Error(`attribute type names ${name}: add it to SDK_ALIASES`);
    return spelled;
  });
}

function docOf(symbol: ts.Symbol, checker: ts.TypeChecker): string {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).split("\n")[0]?.trim() ?? "";
}

export function renderResourceAttributes(): string {
  const names = Object.values(SDK_RESOURCES);
  const { checker, probe } = compileSdkProbe(
    `import type { ${names.join(", ")} } from "@commercelayer/sdk";\n${names.map((n) => `export type ${n}Probe = ${n};`).join("\n")}\n`,
  );

  const blocks: string[] = [];
  for (const declaration of probe.statements.filter(ts.isTypeAliasDeclaration)) {
    const sdkName = declaration.name.text.replace(/Probe$/, "");
    const type = checker.getTypeAtLocation(declaration.name);
    const lines: string[] = [];
    for (const property of type.getProperties()) {
      if (property.name === "id" || property.name === "type") continue;
      const propertyType = checker.getTypeOfSymbolAtLocation(property, declaration);
      if (isRelationship(propertyType, checker)) continue;
      const override = OVERRIDES[sdkName]?.[property.name];
      const printed =
        override?.type ??
        spellOut(
          checker.typeToString(checker.getNonNullableType(propertyType), undefined, ts.TypeFormatFlags.NoTruncation),
        );
      const nullable = override ? "" : " | null";
      const doc = override?.doc ?? docOf(property, checker);
      if (doc) lines.push(`  /** ${doc.replaceAll("*/", "* /")} */`);
      lines.push(`  readonly ${property.name}?: ${printed}${nullable};`);
    }
    blocks.push(
      `/** Attributes of \`${sdkName}\` (@commercelayer/sdk) as a webhook delivers them. */\nexport interface ${sdkName}Attributes {\n${lines.join("\n")}\n}`,
    );
  }
  const map = Object.entries(SDK_RESOURCES)
    .map(([resource, name]) => `  readonly ${resource}: ${name}Attributes;`)
    .join("\n");
  return `// Generated by infra/generate/generate-resource-types.ts from @commercelayer/sdk's resource types. Do not edit by hand:
// run \`npm run generate\`. Every attribute is optional and nullable: deliveries may omit or null any of them.

${blocks.join("\n\n")}

/** Typed attributes per resource type (\`data.type\`). */
export interface ResourceAttributes {
${map}
}
`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(target, renderResourceAttributes());
  console.log(`wrote ${target}`);
  writeFileSync(relationshipsTarget, renderResourceRelationships());
  console.log(`wrote ${relationshipsTarget}`);
}
