// "Copy into an existing project", through Vercel's real Node runtime: a throwaway project (outside the repository)
// gets the factory and its declarations in lib/, and a TypeScript `api/` function written as a user writes it, with
// its own orders.place handler. tsc (strict) checks it; `vercel dev --local` compiles it (TypeScript in api/ is
// compiled by @vercel/node) and serves it to signed deliveries. Needs `npm run build` and `npm run emulators:install`.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SignedDelivery, signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";
import { waitForJsonLine } from "../../support/log-lines.ts";
import {
  copyFactory,
  createUserProject,
  typeCheck,
  writeProjectFile,
  writeStrictTsconfig,
} from "../../support/user-project.ts";
import {
  assertBuilt,
  assertEmulatorInstalled,
  type DevServer,
  portClosed,
  startVercelDev,
  vercelEnv,
} from "./support.ts";

const PATH = "/api/webhooks/commercelayer";

const USER_FUNCTION = `import { createVercelWebhookHandler } from "../../lib/commercelayer-webhook-factory.mjs";

export const POST = createVercelWebhookHandler({
  "orders.place": async (event) => {
    console.log(JSON.stringify({ userHandler: "orders.place", id: event.id, number: event.data.attributes.number }));
  },
});
`;

let project: string | undefined;
let home: string | undefined;
let server: DevServer | undefined;
let typeChecked: { code: number; output: string } | undefined;

beforeAll(async () => {
  assertEmulatorInstalled();
  assertBuilt(
    "dist/factories/vercel/commercelayer-webhook-factory.mjs",
    "dist/factories/vercel/commercelayer-webhook-factory.d.mts",
  );
  // A plain project: package.json {"type":"module"} and a strict tsconfig.json, no .vercel/ (a linked project goes
  // online), no .env (it would override the environment given here), no node_modules.
  project = createUserProject("vercel-dev-copy");
  writeStrictTsconfig(project, { nodeTypes: true });
  copyFactory(project, "vercel", "lib");
  writeProjectFile(project, "api/webhooks/commercelayer.ts", USER_FUNCTION);
  typeChecked = await typeCheck(project);
  home = createUserProject("vercel-dev-copy-home");
  server = await startVercelDev(project, vercelEnv(home, { COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET }), 90_000);
}, 180_000);

afterAll(async () => {
  try {
    if (server !== undefined) {
      await server.process.stop();
      expect(await portClosed(server.url)).toBe(true);
    }
  } finally {
    for (const dir of [project, home]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
});

function devServer(): DevServer {
  if (server === undefined) throw new Error("vercel dev did not start");
  return server;
}

async function post(delivery: SignedDelivery) {
  const response = await fetch(new URL(PATH, devServer().url), {
    method: "POST",
    headers: delivery.headers,
    body: new Uint8Array(delivery.body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: await response.text() };
}

/** The JSON lines printed through vercel dev's output (a function's console.log), those that `match`. */
const waitForLine = (match: (line: Record<string, unknown>) => boolean, timeoutMs = 5_000) =>
  waitForJsonLine(() => devServer().process.output(), match, timeoutMs);

describe("copy into an existing Vercel project: api/webhooks/commercelayer.ts under vercel dev --local", () => {
  it("the user's handler file type-checks with tsc --strict against the copied .d.mts", () => {
    expect(typeChecked?.output).toBe("");
    expect(typeChecked?.code).toBe(0);
  });

  it("a signed orders.place is handled (200) and the user's handler ran with the delivery's id", async () => {
    const delivery = signedDelivery("orders.place");
    const payload = JSON.parse(delivery.body.toString("utf8")) as {
      data: { id: string; attributes: { number: unknown } };
    };
    const response = await post(delivery);
    expect(response).toEqual({ status: 200, body: '{"received":true,"outcome":"handled"}' });
    const line = await waitForLine((entry) => entry.userHandler === "orders.place" && entry.id === payload.data.id);
    expect(line).toEqual({ userHandler: "orders.place", id: payload.data.id, number: payload.data.attributes.number });
    await waitForLine(
      (entry) => entry.msg === "commercelayer webhook" && entry.id === payload.data.id && entry.outcome === "handled",
    );
  });

  it("a topic the user has no handler for is acknowledged (200 ignored) and runs no handler of theirs", async () => {
    const response = await post(signedDelivery("customers.create"));
    expect(response).toEqual({ status: 200, body: '{"received":true,"outcome":"ignored"}' });
    const userLines = devServer()
      .process.output()
      .split("\n")
      .filter((text) => text.includes('"userHandler"'));
    expect(userLines).toHaveLength(1);
  });

  it("a wrong signature is refused (401)", async () => {
    const response = await post(signedDelivery("orders.place", { secret: "not-the-secret" }));
    expect(response).toEqual({ status: 401, body: '{"error":"invalid_signature"}' });
  });
});
