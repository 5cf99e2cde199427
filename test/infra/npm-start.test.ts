// `npm start` and `npm run send` end to end, as a person runs them in two terminals: the receiver on a free port with
// no configuration, then signed deliveries for every original topic against each platform's path.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSampleDelivery } from "../../infra/samples/build.ts";
import { SEED_TOPICS } from "../../shared/generated/topics.ts";
import { withHandOff } from "../../shared/webhooks/deferred.ts";
import { createTopicRouter } from "../../shared/webhooks/router.ts";
import { handlers } from "../fixtures/handlers.ts";
import { ROOT } from "../support/bundles.ts";
import { startProcess } from "../support/http.ts";
import { freePort, freshEnv, npmSend } from "../support/local-commands.ts";

const run = promisify(execFile);
const PLATFORMS = ["vercel", "aws-lambda", "netlify"] as const;
/** The seed topics the fixture handlers match (deferred ones included: handing off is handling, for the receiver). */
const router = createTopicRouter(withHandOff(handlers, async () => {}));
const HANDLED = new Set(SEED_TOPICS.filter((topic) => router.match(topic).length > 0));
/** The label each platform's worker logs under (the deferred handlers run there). */
const WORKER = {
  vercel: "vercel-wait-until",
  "aws-lambda": "aws-lambda-worker",
  netlify: "netlify-background",
} as const;

describe("npm start + npm run send", () => {
  let port: number;
  let receiver: Awaited<ReturnType<typeof startProcess>>;

  beforeAll(async () => {
    port = await freePort();
    receiver = await startProcess("npm", ["start", "--", "--handlers", "test/fixtures/handlers.ts"], {
      cwd: ROOT,
      env: freshEnv({ PORT: String(port) }),
      ready: /Ctrl-C stops it/,
      timeoutMs: 60_000,
    });
  });

  afterAll(async () => {
    await receiver?.stop();
  });

  it("starts with no configuration, says loudly that it uses the development secret, and prints one path per platform", () => {
    const output = receiver.output();
    expect(output).toMatch(/COMMERCELAYER_WEBHOOK_SECRET is not set: using the PUBLIC development secret/);
    for (const platform of PLATFORMS)
      expect(output).toMatch(new RegExp(`${platform}\\s+POST http://127\\.0\\.0\\.1:${port}/${platform}/`));
  });

  it.each(PLATFORMS)(
    "`send --all` against the %s path: all 36 original topics acknowledged, the fixture topics handled, deferred ones by the worker",
    async (platform) => {
      const before = receiver.output().length;
      const result = await npmSend(port, ["--all", "--platform", platform]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Summary: 36 sent, 36 acknowledged, 0 not acknowledged");
      expect(result.stdout).toMatch(new RegExp(`${HANDLED.size} × 200 handled`));
      expect(result.stdout).toMatch(new RegExp(`${SEED_TOPICS.length - HANDLED.size} × 200 ignored`));
      // The receiver's own lines: one per delivery, through this platform's bundle; and the worker's, for the
      // deferred topics, once the platform's queue has handed them over.
      const workerLine = (topic: string, outcome: string) =>
        new RegExp(
          `^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${WORKER[platform]}\\s+${topic.replace(".", "\\.")}\\s+\\S+\\s+${outcome}\\s`,
          "m",
        );
      for (
        let waited = 0;
        waited < 10_000 && !workerLine("orders.cancel", "failed").test(receiver.output().slice(before));
        waited += 100
      )
        await new Promise((resolve) => setTimeout(resolve, 100));
      const since = receiver.output().slice(before);
      expect(since).toMatch(workerLine("orders.approve", "handled"));
      expect(since).toMatch(workerLine("orders.cancel", "failed"));
      expect(since).toMatch(/↳ fixture handler: handler=orders\.approve topic=orders\.approve/);
      const lines = receiver
        .output()
        .slice(before)
        .split("\n")
        .filter((line) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${platform}\\s`).test(line));
      expect(lines).toHaveLength(SEED_TOPICS.length);
      for (const topic of SEED_TOPICS) {
        const line = lines.find((candidate) => candidate.split(/\s+/)[2] === topic);
        expect(line, topic).toMatch(HANDLED.has(topic) ? /\bhandled\s+200\b/ : /\bignored\s+200\b/);
      }
    },
  );

  it("a wrong secret is refused (401) and send exits non-zero", async () => {
    const result = await npmSend(port, ["orders.place", "--secret", "not-the-secret"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/orders\.place\s+401\s+invalid_signature/);
  });

  it("sends your own payload file byte for byte, and any topic with a generic sample", async () => {
    const file = join(tmpdir(), `cl-payload-${process.pid}.json`);
    writeFileSync(file, buildSampleDelivery("customers.create", { seed: 9 }).body);
    const own = await npmSend(port, ["customers.create", "--file", file, "--platform", "netlify"]);
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(/customers\.create\s+200\s+handled/);
    expect(receiver.output()).toMatch(/↳ fixture handler: handler=customers\.create/);
    const generic = await npmSend(port, ["gift_cards.purchase", "--no-includes", "--platform", "aws-lambda"]);
    expect(generic.stdout).toMatch(/gift_cards\.purchase\s+200\s+ignored/);
  });

  it("a receiver that is not there is a non-zero exit with a clear line", async () => {
    const result = await npmSend(await freePort(), ["orders.place"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/orders\.place\s+error\s+no answer \(ECONNREFUSED\)/);
  });

  it("Ctrl-C (SIGINT to the terminal's process group) stops it cleanly", async () => {
    const { child } = receiver;
    const exited = new Promise<[number | null, string | null]>((resolve) =>
      child.once("exit", (code, signal) => resolve([code, signal])),
    );
    if (child.pid !== undefined) process.kill(-child.pid, "SIGINT");
    // npm itself re-raises the signal it was stopped by; the receiver under it closes and exits 0.
    const [code, signal] = await exited;
    expect(code === 0 || signal === "SIGINT").toBe(true);
    expect(receiver.output()).toContain("SIGINT: stopping");
    expect(receiver.output()).not.toMatch(/\n\s+at /);
  });
});

describe("npm start under NODE_ENV=production", () => {
  it("refuses the development secret when no secret is set", async () => {
    const port = await freePort();
    const result = await run("npm", ["start"], {
      cwd: ROOT,
      env: freshEnv({ PORT: String(port), NODE_ENV: "production" }),
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: { code?: number; stderr?: string }) => ({ code: error.code ?? 1, stderr: error.stderr ?? "" }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("refusing the public development secret");
  });
});
