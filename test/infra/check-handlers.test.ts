// The check `npm run build`, `npm start` and the deploys make of the handlers files (infra/build/check-handlers.ts):
// every misspelt topic key named with its closest topic, every type error, nothing for files that are fine.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkHandlersFiles, topicKeyProblem } from "../../infra/build/check-handlers.ts";
import { ROOT } from "../support/bundles.ts";

/** A handlers file in a folder of the repository's (its imports of shared/ resolve as the user's file's do). */
function handlersFile(body: string): string {
  mkdirSync(join(ROOT, ".test-build"), { recursive: true });
  const file = join(mkdtempSync(join(ROOT, ".test-build", "check-")), "handlers.ts");
  writeFileSync(
    file,
    `import { deferred, defineWebhookHandlers } from "../../shared/webhooks/handlers-file.ts";\n\nexport const handlers = defineWebhookHandlers({\n${body}\n});\n`,
  );
  return file;
}

describe("topic keys", () => {
  it.each([["orders.place"], ["orders.*"], ["*"], ["customers.create"]])("%s is fine", (key) => {
    expect(topicKeyProblem(key)).toBeUndefined();
  });

  it("a misspelt topic names the closest one; a resource that has no topic says so", () => {
    expect(topicKeyProblem("orders.aprove")).toBe(
      '"orders.aprove" is not a Commerce Layer topic; did you mean "orders.approve"?',
    );
    expect(topicKeyProblem("custmers.*")).toBe('"custmers.*": no Commerce Layer topic starts with "custmers."');
  });
});

describe("checkHandlersFiles", () => {
  it("names every misspelt topic (TypeScript alone names the first), and every type error, one line each", () => {
    const file = handlersFile(
      [
        '  "orders.aprove": async () => {},',
        '  "shipments.shipp": deferred(async () => {}),',
        '  "customers.create": async (event) => { const total: number = event.data.attributes.email; void total; },',
      ].join("\n"),
    );
    const problems = checkHandlersFiles([file]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(
      /handlers\.ts:4:3: "orders\.aprove" is not a Commerce Layer topic; did you mean "orders\.approve"\?$/,
    );
    expect(problems[1]).toMatch(
      /handlers\.ts:5:3: "shipments\.shipp" is not a Commerce Layer topic; did you mean "shipments\.ship"\?$/,
    );
    expect(problems[2]).toMatch(/handlers\.ts:6:\d+: Type '.*' is not assignable to type 'number'/);
    for (const problem of problems) expect(problem).not.toContain("\n");
  });

  it("finds nothing in files that are fine: the fixture handlers and the default external handlers", () => {
    const file = handlersFile(
      '  "orders.*": async (event) => { void event.data.attributes.number; },\n  "*": async () => {},',
    );
    expect(checkHandlersFiles([file, join(ROOT, "functions/external.ts")])).toEqual([]);
  });
});
