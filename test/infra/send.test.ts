// `npm run send` as a person runs it: the real command in its own process, against a real receiver (the fixture
// build's Vercel bundle behind a node:http server in this process, which also records what arrived), and against a
// server with canned answers that imitates serverless-offline answering a Lambda import error with a 200.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, Server } from "node:http";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Answer, loadEntry } from "../../infra/drive/entry-points.ts";
import { DEV_SECRET } from "../../infra/local/dev-secret.ts";
import { buildSampleDelivery } from "../../infra/samples/build.ts";
import { fixtureBuild, ROOT } from "../support/bundles.ts";
import { listenOnLoopback } from "../support/http.ts";
import { freePort } from "../support/local-commands.ts";

const run = promisify(execFile);
const ENV_SECRET = "secret-from-the-environment";
const FLAG_SECRET = "secret-given-by-flag";
const SECRET_ENV = "COMMERCELAYER_WEBHOOK_SECRET";

/** What serverless-offline's HTTP API answers when the handler's bundle fails to import: the Lambda error, as a 200. */
const LAMBDA_IMPORT_ERROR = JSON.stringify({
  errorMessage:
    "Cannot find module '/app/dist/aws-lambda/commercelayer-webhook.mjs' imported from /app/node_modules/serverless-offline/src/lambda/handler-runner/in-process-runner/InProcessRunner.js",
  errorType: "Error",
  stackTrace: [
    "Error: Cannot find module '/app/dist/aws-lambda/commercelayer-webhook.mjs'",
    "    at finalizeResolution",
  ],
});

interface Arrived {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

interface Finished {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The command in a shell of its own: no secret configured unless `env` sets one. */
async function send(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  const { [SECRET_ENV]: _secret, PORT: _port, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run("node", ["--import", "tsx", "infra/local/send.ts", ...args], {
      cwd: ROOT,
      env: { ...inherited, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** The curl command `--print` printed: from `curl ` through its backslash-continued lines. */
function printedCurl(stdout: string): string {
  const command = stdout.match(/^curl (?:.*\\\n)*.*$/m)?.[0];
  if (command === undefined) throw new Error(`no curl command in:\n${stdout}`);
  return command;
}

const sha256 = (body: string | Buffer) => createHash("sha256").update(body).digest("hex");

describe("npm run send", () => {
  let server: Server;
  let base: string;
  let receiverUrl: string;
  const arrived: Arrived[] = [];
  /** What the bundle logged (its delivery lines, the fixture handlers' lines), kept off the test's output. */
  const logged: string[] = [];
  let secretBefore: string | undefined;

  const receiverLines = () =>
    logged
      .filter((text) => text.includes('"msg":"commercelayer webhook"'))
      .map((text) => JSON.parse(text) as { reason?: string; hint?: string; status?: number });

  beforeAll(async () => {
    secretBefore = process.env[SECRET_ENV];
    // The receiver holds all three secrets the tests sign with; a wrong --secret is none of them.
    process.env[SECRET_ENV] = `${DEV_SECRET},${ENV_SECRET},${FLAG_SECRET}`;
    vi.spyOn(console, "log").mockImplementation((...items: unknown[]) => {
      logged.push(items.map(String).join(" "));
    });
    const vercel = await loadEntry(fixtureBuild(), "vercel");
    const canned: Record<string, Answer> = {
      "/lambda-import-error": {
        status: 200,
        headers: { "content-type": "application/json" },
        body: Buffer.from(LAMBDA_IMPORT_ERROR),
      },
      "/other-app": { status: 200, headers: { "content-type": "text/html" }, body: Buffer.from("<h1>It works!</h1>") },
    };
    ({ server, url: base } = await listenOnLoopback(async (req, res) => {
      const path = req.url ?? "/";
      const body = await readBody(req);
      arrived.push({ path, headers: req.headers, body });
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = value;
      const answer =
        canned[path] ?? (await vercel({ method: req.method ?? "POST", url: `${base}${path}`, headers, body }));
      res.writeHead(answer.status, answer.headers).end(answer.body);
    }));
    receiverUrl = `${base}/api/webhooks/commercelayer`;
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    if (secretBefore === undefined) delete process.env[SECRET_ENV];
    else process.env[SECRET_ENV] = secretBefore;
    await new Promise((resolve) => server?.close(resolve));
  });

  describe("with nothing listening", () => {
    it("says to start the receiver (npm start) or give --url, once, and exits 1", async () => {
      const closed = await freePort();
      const { code, stdout, stderr } = await send(["orders.place", "customers.create"], { PORT: String(closed) });
      expect(code).toBe(1);
      expect(stdout).toMatch(/orders\.place +error no answer \(ECONNREFUSED\)/);
      const hints = stderr.split("\n").filter((line) => line.includes("is `npm start` running?"));
      expect(hints).toEqual([
        `nothing is listening at http://127.0.0.1:${closed}: is \`npm start\` running? Start it in another terminal (PORT sets its port), or give --url`,
      ]);
    });

    it("an external call says the same", async () => {
      const closed = await freePort();
      const { code, stderr } = await send(["--external", "tax-calculator"], { PORT: String(closed) });
      expect(code).toBe(1);
      expect(stderr).toContain(`nothing is listening at http://127.0.0.1:${closed}: is \`npm start\` running?`);
    });
  });

  describe("a topic Commerce Layer does not send", () => {
    it("is warned about on stderr with the closest known topic, and still sent", async () => {
      const before = arrived.length;
      const result = await send(["orders.aprove", "--url", receiverUrl]);
      expect(result.stderr).toContain('"orders.aprove" is not a Commerce Layer topic; did you mean "orders.approve"?');
      expect(result.stdout).not.toContain("did you mean");
      expect(result.stdout).toMatch(/orders\.aprove\s+200\s+ignored/);
      expect(result.code).toBe(0);
      expect(arrived.slice(before).map((request) => request.headers["x-commercelayer-topic"])).toEqual([
        "orders.aprove",
      ]);
    });

    it("is warned about with --print too, which sends nothing", async () => {
      const before = arrived.length;
      const result = await send(["shipments.shipp", "--print", "--url", receiverUrl]);
      expect(result.stderr).toContain('did you mean "shipments.ship"?');
      expect(result.code).toBe(0);
      expect(arrived.length).toBe(before);
    });

    it("a known topic gets no warning", async () => {
      const result = await send(["orders.place", "--url", receiverUrl]);
      expect(result.stderr).not.toContain("not a Commerce Layer topic");
      expect(result.stdout).toMatch(/orders\.place\s+200\s+handled/);
    });
  });

  describe("says which secret it signed with, never its value", () => {
    const cases: { source: string; args: string[]; env: Record<string, string>; value: string; line: RegExp }[] = [
      {
        source: "the local development secret",
        args: [],
        env: {},
        value: DEV_SECRET,
        line: /local development secret/,
      },
      {
        source: "$COMMERCELAYER_WEBHOOK_SECRET, first of the list",
        args: [],
        env: { [SECRET_ENV]: ` ${ENV_SECRET} , a-second-one-the-receiver-does-not-hold` },
        value: ENV_SECRET,
        line: /signed with \$COMMERCELAYER_WEBHOOK_SECRET \(its first secret\)/,
      },
      {
        source: "--secret, over the environment",
        args: ["--secret", FLAG_SECRET],
        env: { [SECRET_ENV]: ENV_SECRET },
        value: FLAG_SECRET,
        line: /signed with the secret given by --secret/,
      },
    ];
    it.each(cases)("$source", async ({ args, env, value, line }) => {
      const result = await send(["customers.create", "--url", receiverUrl, ...args], env);
      expect(result.stdout).toMatch(line);
      expect(result.stdout).toMatch(/customers\.create\s+200\s+handled/);
      expect(result.code).toBe(0);
      expect(`${result.stdout}${result.stderr}`).not.toContain(value);
    });
  });

  it("a 401 lists the usual causes: the secret's source and what the receiver needs, a changed body, its log line", async () => {
    const result = await send(["orders.place", "--url", receiverUrl, "--secret", "not-what-the-receiver-holds"]);
    expect(result.code).toBe(1);
    const bytes = Buffer.byteLength(buildSampleDelivery("orders.place", { seed: 1 }).body);
    expect(result.stdout).toMatch(new RegExp(`orders\\.place\\s+401\\s+invalid_signature.*\\s${bytes} bytes`));
    expect(result.stderr).toContain("the secrets differ: this was signed with --secret");
    expect(result.stderr).toContain("must be exactly the value given to --secret");
    expect(result.stderr).toContain(`the body was changed or dropped on the way: send signed ${bytes} bytes`);
    expect(result.stderr).toContain("netlify-cli's emulator passes an empty body when there is no Content-Type");
    expect(result.stderr).toContain(`its hint reads "<N> bytes received". ${bytes} means the body arrived intact`);
    expect(`${result.stdout}${result.stderr}`).not.toContain("not-what-the-receiver-holds");
    // What send says about the receiver's log line is what that line holds.
    const refused = receiverLines().filter((entry) => entry.reason === "invalid_signature");
    expect(refused.at(-1)?.hint).toMatch(new RegExp(`\\b${bytes} bytes received\\b`));
  });

  describe("a 2xx that is not the receiver's answer", () => {
    it.each([
      {
        what: "serverless-offline's 200 for a Lambda import error",
        path: "/lambda-import-error",
        says: /Lambda error result \(Error: Cannot find module/,
      },
      { what: "another program's page", path: "/other-app", says: /text\/html: "<h1>It works!<\/h1>"/ },
    ])("is flagged, and send exits non-zero: $what", async ({ path, says }) => {
      const result = await send(["orders.place", "--url", `${base}${path}`]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/orders\.place\s+200\s+not the receiver's answer/);
      expect(result.stderr).toContain("HTTP 200, but not the receiver's answer, so the delivery was not acknowledged");
      expect(result.stderr).toMatch(says);
    });

    it("--all counts none of them as acknowledged, and explains once", async () => {
      const result = await send(["--all", "--url", `${base}/lambda-import-error`]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("Summary: 36 sent, 0 acknowledged, 36 not acknowledged");
      expect(result.stderr.match(/not the receiver's answer/g)).toHaveLength(1);
    });
  });

  describe("--print", () => {
    it("shows the exact headers and body, sends nothing, and its curl command gets 200 from the receiver with the same bytes", async () => {
      const before = arrived.length;
      const result = await send(["orders.place", "--print", "--url", receiverUrl]);
      expect(result.code).toBe(0);
      expect(arrived.length).toBe(before);
      const body = buildSampleDelivery("orders.place", { seed: 1 }).body;
      for (const header of [
        "content-type: application/json",
        "user-agent: CommerceLayer Module",
        "accept-encoding: gzip",
        "x-commercelayer-topic: orders.place",
        `content-length: ${Buffer.byteLength(body)}`,
      ])
        expect(result.stdout).toContain(`\n${header}\n`);
      expect(result.stdout).toMatch(/\nx-commercelayer-signature: [A-Za-z0-9+/]{43}=\n/);
      expect(result.stdout).toContain(`\n\n${body}\n\n`);

      const curl = await run("bash", ["-c", printedCurl(result.stdout)]);
      expect(curl.stdout).toMatch(/^HTTP\/1\.1 200 /);
      expect(curl.stdout).toContain('{"received":true,"outcome":"handled"}');
      const request = arrived.at(-1);
      expect(request?.body.equals(Buffer.from(body))).toBe(true);
      expect(request?.headers["content-type"]).toBe("application/json");
      expect(request?.headers["user-agent"]).toBe("CommerceLayer Module");
      // The fixture handler saw those very bytes.
      expect(logged.some((text) => text.includes(`"handler":"orders.place"`) && text.includes(sha256(body)))).toBe(
        true,
      );
    });

    it("with --content-type '': the curl command sends no content type either, and still verifies", async () => {
      const result = await send(["customers.create", "--print", "--content-type", "", "--url", receiverUrl]);
      expect(result.stdout).toContain("(no content-type header)");
      const curl = await run("bash", ["-c", printedCurl(result.stdout)]);
      expect(curl.stdout).toMatch(/^HTTP\/1\.1 200 /);
      expect(arrived.at(-1)?.headers["content-type"]).toBeUndefined();
    });
  });

  describe("--content-type", () => {
    it.each([
      { flags: ["--content-type", ""], named: "--content-type ''" },
      { flags: ["--no-content-type"], named: "--no-content-type" },
    ])("$named sends no content-type header", async ({ flags }) => {
      const result = await send(["customers.create", "--url", receiverUrl, ...flags]);
      expect(result.stdout).toContain("no content-type header (Commerce Layer sends application/json)");
      expect(result.stdout).toMatch(/customers\.create\s+200\s+handled/);
      expect(arrived.at(-1)?.headers).not.toHaveProperty("content-type");
    });

    it("sends the content type given", async () => {
      const result = await send(["customers.create", "--url", receiverUrl, "--content-type", "text/plain"]);
      expect(result.code).toBe(0);
      expect(arrived.at(-1)?.headers["content-type"]).toBe("text/plain");
    });

    it("refuses --no-content-type with a content type", async () => {
      const result = await send([
        "customers.create",
        "--url",
        receiverUrl,
        "--no-content-type",
        "--content-type",
        "x/y",
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("contradict each other");
    });
  });
});
