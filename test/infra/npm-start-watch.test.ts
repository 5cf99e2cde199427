// `npm start -- --watch` as a person uses it: the receiver running on one port while its handlers file is edited. Each
// save rebuilds the bundles and the same port answers with the new build; a save that does not build is one short line
// and the last good build keeps answering. The handlers file is this suite's own, written into a folder of its own
// under .test-build/ (inside the repository, so that its import of src/ resolves).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_SECRET } from "../../infra/local/dev-secret.ts";
import { buildSampleDelivery } from "../../infra/samples/build.ts";
import { signPayload } from "../../shared/node/signature.ts";
import { ROOT } from "../support/bundles.ts";
import { type HttpAnswer, post, startProcess } from "../support/http.ts";

const PATHS = {
  vercel: "/vercel/api/webhooks/commercelayer",
  "aws-lambda": "/aws-lambda/webhooks/commercelayer",
  netlify: "/netlify/webhooks/commercelayer",
} as const;

/** A handlers file whose every handler logs `watch fixture` with the file's version, so a log says which build ran. */
function handlersSource(version: string, direct: readonly string[], deferredTopics: readonly string[] = []): string {
  const log = `async (event) => console.log(JSON.stringify({ msg: "watch fixture", version: "${version}", topic: event.topic }))`;
  const entries = [
    ...direct.map((topic) => `  "${topic}": ${log},`),
    ...deferredTopics.map((topic) => `  "${topic}": deferred(${log}),`),
  ];
  return [
    'import { deferred, defineTemplateOptions, defineWebhookHandlers } from "../../shared/webhooks/handlers-file.ts";',
    "",
    `export const handlers = defineWebhookHandlers({\n${entries.join("\n")}\n});`,
    "export const options = defineTemplateOptions({});",
    "",
  ].join("\n");
}

/** The environment of a fresh machine: no secret configured, so the receiver and this suite use the development one. */
function freshEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { COMMERCELAYER_WEBHOOK_SECRET: _secret, NODE_ENV: _nodeEnv, ...env } = process.env;
  return { ...env, ...extra };
}

const REBUILT = /^rebuilt in \d+ ms \((.+) changed\)$/gm;

describe("npm start -- --watch", () => {
  let folder: string;
  let handlersFile: string;
  let base: string;
  let receiver: Awaited<ReturnType<typeof startProcess>>;

  /** What the receiver printed since `offset` (an index into its whole output). */
  const since = (offset: number) => receiver.output().slice(offset);

  async function waitFor(pattern: RegExp, offset: number, timeoutMs = 20_000): Promise<string> {
    for (let waited = 0; waited < timeoutMs; waited += 50) {
      const match = since(offset).match(pattern);
      if (match) return match[0];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no ${pattern} within ${timeoutMs} ms; the receiver printed:\n${since(offset).slice(-3000)}`);
  }

  /** The rebuild lines printed since `offset` that name the suite's handlers file (another change to src/ may too). */
  const rebuildsSince = (offset: number) =>
    [...since(offset).matchAll(REBUILT)].filter((match) => match[1]?.includes("handlers.ts"));

  async function deliver(topic: string, platform: keyof typeof PATHS = "vercel"): Promise<HttpAnswer> {
    const body = Buffer.from(buildSampleDelivery(topic).body);
    return post(
      `${base}${PATHS[platform]}`,
      {
        "content-type": "application/json",
        "x-commercelayer-topic": topic,
        "x-commercelayer-signature": signPayload(body, DEV_SECRET),
      },
      body,
    );
  }

  const outcome = async (topic: string, platform: keyof typeof PATHS = "vercel") => {
    const answer = await deliver(topic, platform);
    expect(answer.status).toBe(200);
    return (JSON.parse(answer.body) as { outcome: string }).outcome;
  };

  /** Saves the handlers file and waits for the receiver to say it rebuilt (or failed to), returning that line. */
  async function save(source: string, expected: RegExp): Promise<string> {
    const offset = receiver.output().length;
    writeFileSync(handlersFile, source);
    return waitFor(expected, offset);
  }

  beforeAll(async () => {
    mkdirSync(join(ROOT, ".test-build"), { recursive: true });
    folder = mkdtempSync(join(ROOT, ".test-build", "watch-"));
    handlersFile = join(folder, "handlers.ts");
    writeFileSync(handlersFile, handlersSource("A", ["customers.create"]));
    receiver = await startProcess("npm", ["start", "--", "--watch", "--handlers", handlersFile], {
      cwd: ROOT,
      env: freshEnv({ PORT: "0" }),
      ready: /Ctrl-C stops it/,
      timeoutMs: 60_000,
    });
    const port = receiver.output().match(/listening on http:\/\/127\.0\.0\.1:(\d+)/)?.[1];
    expect(port).toBeDefined();
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await receiver?.stop();
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  });

  it("says that it watches, and serves the first build", async () => {
    expect(receiver.output()).toMatch(
      /Watching shared\/, functions\/ and .*\.test-build\/watch-\w+\/: a change rebuilds the bundles/,
    );
    expect(await outcome("orders.place")).toBe("ignored");
    expect(await outcome("customers.create")).toBe("handled");
  });

  it("an edit rebuilds once, and the same port answers with the new handlers on every platform", async () => {
    const offset = receiver.output().length;
    const line = await save(
      handlersSource("B", ["customers.create", "orders.place"], ["orders.approve"]),
      /^rebuilt in \d+ ms \(.*handlers\.ts changed\)$/m,
    );
    expect(line).toMatch(/\(\.test-build\/watch-\w+\/handlers\.ts changed\)/);
    for (const platform of Object.keys(PATHS) as (keyof typeof PATHS)[])
      expect(await outcome("orders.place", platform), platform).toBe("handled");
    expect(since(offset)).toMatch(/watch fixture: version=B topic=orders\.place/);
    // Deferred: the Lambda bundle hands it to the local queue, whose poller now runs the new build's worker.
    expect(await outcome("orders.approve", "aws-lambda")).toBe("handled");
    await waitFor(/watch fixture: version=B topic=orders\.approve/, offset);
    expect(rebuildsSince(offset)).toHaveLength(1);
    expect(receiver.output().match(/listening on/g)).toHaveLength(1);
  });

  it("a save that does not build is one short line, and the last good build keeps answering", async () => {
    const offset = receiver.output().length;
    const good = handlersSource("C", ["orders.place"]);
    const line = await save(`${good}export const half = ;\n`, /^build failed \(.*handlers\.ts changed\): .*$/m);
    // Where the error is, as an editor counts (the line added after the good source), and what it is.
    const where = `handlers\\.ts:${good.split("\n").length}:21`;
    expect(line).toMatch(new RegExp(`: \\.test-build/watch-\\w+/${where}: .+; still serving the last good build$`));
    // Let any other output of that build arrive before looking at what it printed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(since(offset)).not.toMatch(/\n\s+at |\[ERROR\]/);
    expect(since(offset).match(/^build failed/gm)).toHaveLength(1);
    expect(rebuildsSince(offset)).toHaveLength(0);
    expect(await outcome("orders.place")).toBe("handled");
    expect(await outcome("customers.create")).toBe("handled");
  });

  it("fixing it rebuilds again", async () => {
    await save(handlersSource("C", ["orders.place"]), /^rebuilt in \d+ ms \(.*handlers\.ts changed\)$/m);
    expect(await outcome("orders.place")).toBe("handled");
    // Version C has no customers.create handler: the fixed file is what answers, not the last good one.
    expect(await outcome("customers.create")).toBe("ignored");
  });

  it("a burst of writes, as editors save, is one rebuild", async () => {
    const offset = receiver.output().length;
    for (const version of ["D1", "D2", "D3", "D4", "D5"]) {
      writeFileSync(handlersFile, handlersSource(version, ["orders.place", "shipments.ship"]));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await waitFor(/^rebuilt in \d+ ms \(.*handlers\.ts changed\)$/m, offset);
    // Longer than the quiet period and a rebuild: a second rebuild would have printed by now.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(rebuildsSince(offset)).toHaveLength(1);
    expect(await outcome("shipments.ship")).toBe("handled");
    expect(since(offset)).toMatch(/watch fixture: version=D5 topic=shipments\.ship/);
  });

  it("misspelt topics are said loudly, every one with its closest topic, and what built keeps answering", async () => {
    const offset = receiver.output().length;
    const typos = handlersSource("E", ["customers.create", "orders.aprove", "shipments.shipp"]);
    await save(typos, /^rebuilt in \d+ ms \(.*handlers\.ts changed\)$/m);
    await waitFor(/The handlers files do not check \(2 problems\)/, offset, 40_000);
    expect(since(offset)).toContain('"orders.aprove" is not a Commerce Layer topic; did you mean "orders.approve"?');
    expect(since(offset)).toContain('"shipments.shipp" is not a Commerce Layer topic; did you mean "shipments.ship"?');
    expect(await outcome("customers.create")).toBe("handled");
  });
});

describe("npm start -- --no-watch", () => {
  it("serves its first build only: an edit is not rebuilt", async () => {
    mkdirSync(join(ROOT, ".test-build"), { recursive: true });
    const folder = mkdtempSync(join(ROOT, ".test-build", "watch-"));
    const handlersFile = join(folder, "handlers.ts");
    writeFileSync(handlersFile, handlersSource("A", ["customers.create"]));
    const receiver = await startProcess("npm", ["start", "--", "--no-watch", "--handlers", handlersFile], {
      cwd: ROOT,
      env: freshEnv({ PORT: "0" }),
      ready: /Ctrl-C stops it/,
      timeoutMs: 60_000,
    });
    try {
      expect(receiver.output()).not.toMatch(/Watching/);
      writeFileSync(handlersFile, `${handlersSource("B", ["customers.create"])}export const half = ;\n`);
      // Longer than the quiet period and a rebuild.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(receiver.output()).not.toMatch(/rebuilt in|build failed/);
    } finally {
      await receiver.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
