// "Copy into an existing project", through serverless-offline: a throwaway Serverless v3 service (outside the
// repository) with the factory and its declarations in lib/ and `src/commercelayer.ts` written as a user writes it,
// with its own orders.place handler. tsc (strict) checks it; esbuild compiles it into the service (build/), as a
// user's build step or the serverless-esbuild plugin would; serverless-offline serves the service's own
// serverless.yml (an HTTP API POST route) to signed deliveries. The service finds the serverless-offline plugin through
// a node_modules symlink to this emulator package's. Needs `npm run build` and `npm run emulators:install`.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
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
  EMULATOR_DIR,
  freePorts,
  ROOT,
  SERVERLESS_BIN,
  send,
  serverlessEnv,
  stopProcessGroup,
} from "./serverless-cli.ts";

const PATH = "/webhooks/commercelayer";

const USER_HANDLER = `import { createLambdaWebhookHandler } from "../lib/commercelayer-webhook-factory.mjs";

export const handler = createLambdaWebhookHandler({
  "orders.place": async (event) => {
    console.log(JSON.stringify({ userHandler: "orders.place", id: event.id, number: event.data.attributes.number }));
  },
});
`;

// The user's serverless.yml: their service, their function, the secret from the deploying shell.
const SERVICE_YML = `service: user-shop
frameworkVersion: "3"
configValidationMode: warn

provider:
  name: aws
  runtime: nodejs20.x
  httpApi:
    payload: "2.0"
  environment:
    COMMERCELAYER_WEBHOOK_SECRET: \${env:COMMERCELAYER_WEBHOOK_SECRET, ''}

plugins:
  - serverless-offline

functions:
  commercelayer-webhook:
    handler: build/commercelayer.handler
    events:
      - httpApi:
          method: POST
          path: ${PATH}
`;

interface Service {
  readonly baseUrl: string;
  stdout(): string;
  stop(): Promise<void>;
}

let service: string | undefined;
let home: string | undefined;
let offline: Service | undefined;
let typeChecked: { code: number; output: string } | undefined;

/** `serverless offline` in the user's service, on free ports; resolves on its `Server ready:` line (on stderr). */
async function startOfflineIn(cwd: string, homeDir: string, readyTimeoutMs: number): Promise<Service> {
  const [httpPort, lambdaPort] = await freePorts(2);
  if (httpPort === undefined || lambdaPort === undefined) throw new Error("could not find two free ports");
  const child = spawn(
    process.execPath,
    [SERVERLESS_BIN, "offline", "--host", "127.0.0.1", "--httpPort", String(httpPort)].concat([
      "--lambdaPort",
      String(lambdaPort),
      "--noSponsor",
    ]),
    {
      cwd,
      env: serverlessEnv(homeDir, { COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET }),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8");
  const killOnExit = () => {
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {
      // already gone
    }
  };
  process.once("exit", killOnExit);
  const stop = async () => {
    await stopProcessGroup(child);
    process.off("exit", killOnExit);
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) =>
        reject(new Error(`serverless offline ${why}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
      child.stderr.on("data", (text: string) => {
        stderr += text;
        if (stderr.includes("Server ready:")) resolve();
      });
      child.once("error", (error) => fail(`could not start: ${error.message}`));
      child.once("exit", (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
      timer = setTimeout(() => fail(`printed no "Server ready:" line in ${readyTimeoutMs} ms`), readyTimeoutMs);
    });
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return { baseUrl: `http://127.0.0.1:${httpPort}`, stdout: () => stdout, stop };
}

beforeAll(async () => {
  if (!existsSync(SERVERLESS_BIN)) {
    throw new Error(`serverless is not installed in ${EMULATOR_DIR}: run \`npm run emulators:install\` first`);
  }
  for (const file of ["commercelayer-webhook-factory.mjs", "commercelayer-webhook-factory.d.mts"]) {
    const built = join(ROOT, "dist/factories/aws-lambda", file);
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  service = createUserProject("sls-offline-copy");
  writeStrictTsconfig(service, { nodeTypes: false });
  copyFactory(service, "aws-lambda", "lib");
  writeProjectFile(service, "src/commercelayer.ts", USER_HANDLER);
  writeProjectFile(service, "serverless.yml", SERVICE_YML);
  typeChecked = await typeCheck(service);
  // The build step: one ESM file per handler, everything it imports included (the factory has no dependencies).
  await build({
    entryPoints: [join(service, "src/commercelayer.ts")],
    outfile: join(service, "build/commercelayer.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "silent",
  });
  // serverless-offline, installed in the service as `npm i -D serverless-offline` would (here: the emulator package's).
  symlinkSync(join(EMULATOR_DIR, "node_modules"), join(service, "node_modules"), "dir");
  home = mkdtempSync(join(tmpdir(), "cl-sls-offline-copy-home-"));
  offline = await startOfflineIn(service, home, 90_000);
}, 180_000);

afterAll(async () => {
  await offline?.stop();
  for (const dir of [service, home]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

function running(): Service {
  if (offline === undefined) throw new Error("serverless offline is not running");
  return offline;
}

function post(delivery: SignedDelivery) {
  return send(`${running().baseUrl}${PATH}`, { headers: Object.entries(delivery.headers), body: delivery.body });
}

/** JSON lines on stdout written after `since` (the function's console.log), waiting (bounded) for one that matches. */
const waitForLine = (since: number, match: (line: Record<string, unknown>) => boolean) =>
  waitForJsonLine(() => running().stdout().slice(since), match);

describe("copy into an existing Serverless service: src/commercelayer.ts, compiled, under serverless-offline", () => {
  it("the user's handler file type-checks with tsc --strict (no @types/aws-lambda, no @types/node)", () => {
    expect(typeChecked?.output).toBe("");
    expect(typeChecked?.code).toBe(0);
  });

  it("a signed orders.place is handled (200) and the user's handler ran with the delivery's id", async () => {
    const delivery = signedDelivery("orders.place");
    const payload = JSON.parse(delivery.body.toString("utf8")) as {
      data: { id: string; attributes: { number: unknown } };
    };
    const since = running().stdout().length;
    const answer = await post(delivery);
    expect(answer.status, answer.text).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ received: true, outcome: "handled" });
    const line = await waitForLine(since, (entry) => entry.userHandler === "orders.place");
    expect(line).toEqual({ userHandler: "orders.place", id: payload.data.id, number: payload.data.attributes.number });
    await waitForLine(
      since,
      (entry) =>
        entry.msg === "commercelayer webhook" && entry.platform === "aws-lambda" && entry.outcome === "handled",
    );
  });

  it("a topic the user has no handler for is acknowledged (200 ignored) and runs no handler of theirs", async () => {
    const since = running().stdout().length;
    const answer = await post(signedDelivery("customers.create"));
    expect(answer.status, answer.text).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ received: true, outcome: "ignored" });
    await waitForLine(since, (entry) => entry.msg === "commercelayer webhook" && entry.outcome === "ignored");
    expect(running().stdout().slice(since)).not.toContain('"userHandler"');
  });

  it("a wrong signature is refused (401)", async () => {
    const answer = await post(signedDelivery("orders.place", { secret: "not-the-secret" }));
    expect(answer.status, answer.text).toBe(401);
    expect(JSON.parse(answer.text)).toEqual({ error: "invalid_signature" });
  });
});
