// The handlers file's types, checked by tsc as `npm run typecheck` checks functions/handlers.ts: a misspelt topic is
// an error that names it, whether or not the handler reads its event or declares includes; a misspelt option too; a
// relationship read that the handler did not declare, a bad include path and includes on `*` are errors that say so;
// a valid map of any shape (resource pattern, deferred handler, declared includes, no options export) is accepted.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/bundles.ts";

const run = promisify(execFile);
mkdirSync(join(ROOT, ".test-build"), { recursive: true });
// Inside the repository, beside src/, so that the file imports the template as functions/handlers.ts does.
const folder = mkdtempSync(join(ROOT, ".test-build", "types-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const IMPORT =
  'import { deferred, defineTemplateOptions, defineWebhookHandlers, withIncludes } from "../../shared/webhooks/handlers-file.ts";\n';

async function typeCheck(name: string, source: string): Promise<{ code: number; output: string }> {
  const file = join(folder, `${name}.ts`);
  writeFileSync(file, `${IMPORT}${source}`);
  const flags = [
    "--noEmit",
    "--strict",
    "--target",
    "ES2022",
    "--module",
    "NodeNext",
    "--moduleResolution",
    "NodeNext",
  ];
  const more = ["--allowImportingTsExtensions", "--skipLibCheck", "--types", "node", "--lib", "ES2023,DOM"];
  try {
    // tsc under this run's own Node (node_modules/.bin/tsc would take whichever `node` is first on PATH).
    await run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), ...flags, ...more, file], {
      cwd: ROOT,
    });
    return { code: 0, output: "" };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? 1, output: failed.stdout ?? "" };
  }
}

describe("functions/handlers.ts, type-checked", () => {
  it("accepts a map of any valid shape: topics, a resource pattern, `*`, a deferred handler, no options", async () => {
    const checked = await typeCheck(
      "valid",
      `export const handlers = defineWebhookHandlers({
  "gift_cards.activate": async (event) => console.log(event.data.attributes.code),
  "skus.*": [async (event) => console.log(event.topic), async () => {}],
  "returns.approve": deferred(async (event) => console.log(event.id)),
  "orders.place": deferred(
    withIncludes(["line_items", "line_items.item"], async (event) => {
      for (const line of event.relatedMany("line_items")) console.log(line.attributes.sku_code, event.relatedOne("item", line)?.type);
    }),
  ),
  "shipments.*": [withIncludes(["shipping_method"], (event) => event.relatedOne("shipping_method")?.attributes.name), () => {}],
  "*": () => {},
});
void defineTemplateOptions;
`,
    );
    expect(checked.output).toBe("");
    expect(checked.code).toBe(0);
  });

  it.each([
    ["that reads its event", "async (event) => console.log(event.id)"],
    ["that ignores its event", "async () => {}"],
    ["deferred", "deferred(async () => {})"],
    ["that declares includes", 'withIncludes(["line_items"], async (event) => event.relatedMany("line_items"))'],
    ["deferred, that declares includes", 'deferred(withIncludes(["line_items"], async () => {}))'],
  ])("a misspelt topic is an error naming it, for a handler %s", async (_name, handler) => {
    const checked = await typeCheck(
      `typo-${_name.replaceAll(" ", "-")}`,
      `export const handlers = defineWebhookHandlers({ "orders.aprove": ${handler} });\nvoid deferred;\nvoid defineTemplateOptions;\nvoid withIncludes;\n`,
    );
    expect(checked.code).not.toBe(0);
    expect(checked.output).toMatch(/'"orders\.aprove"' does not exist in type 'WebhookHandlers'/);
  });

  it("a misspelt option is an error naming it", async () => {
    const checked = await typeCheck(
      "option-typo",
      `export const options = defineTemplateOptions({ deduplicat: undefined });\nvoid deferred;\nvoid defineWebhookHandlers;\n`,
    );
    expect(checked.code).not.toBe(0);
    expect(checked.output).toMatch(/'deduplicat' does not exist in type 'TemplateOptions'/);
  });

  it("reading a relationship the handler did not declare is an error naming it; with no includes, any read is", async () => {
    const checked = await typeCheck(
      "undeclared",
      `export const handlers = defineWebhookHandlers({
  "orders.place": withIncludes(["line_items"], async (event) => event.relatedOne("customer")),
  "orders.approve": async (event) => event.relatedMany("line_items"),
  "orders.cancel": withIncludes(["line_items"], async (event) => event.relatedOne("item", event.relatedMany("line_items")[0])),
});
void deferred;
void defineTemplateOptions;
`,
    );
    expect(checked.code).not.toBe(0);
    expect(checked.output).toMatch(
      /Argument of type '"customer"' is not assignable to parameter of type '"customer is not a to-one relationship in this handler's includes/,
    );
    expect(checked.output).toMatch(
      /Argument of type '"line_items"' is not assignable to parameter of type '"line_items is not in this handler's includes: declare it with withIncludes/,
    );
    // `item` of a line item needs `line_items.item`.
    expect(checked.output).toMatch(/Argument of type '"item"' is not assignable to parameter of type '"item is not/);
  });

  it("an include path the topic's resource does not have is an error naming it, and a `*` handler declares none", async () => {
    const checked = await typeCheck(
      "bad-paths",
      `export const handlers = defineWebhookHandlers({
  "orders.place": withIncludes(["line_itemz"], async () => {}),
  "orders.approve": deferred(withIncludes(["line_items.itemz"], async () => {})),
  "customers.*": withIncludes(["orders", "orders.customer"], async () => {}),
  "*": withIncludes(["line_items"], async () => {}),
});
void defineTemplateOptions;
`,
    );
    expect(checked.code).not.toBe(0);
    expect(checked.output).toMatch(/Type '"line_itemz"' is not assignable to type 'IncludePath<"orders">'/);
    expect(checked.output).toMatch(/Type '"line_items\.itemz"' is not assignable to type 'IncludePath<"orders">'/);
    expect(checked.output).toMatch(
      /Type '"line_items"' is not assignable to type '"withIncludes needs the key of a known topic/,
    );
    expect(checked.output).not.toMatch(/customers|orders\.customer/);
  });
});
