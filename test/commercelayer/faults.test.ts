// Everything that can go wrong ends the command with one line on stderr (no stack trace) and a non-zero exit: a
// command line it cannot run or missing credentials (2), a refused token, an error status from the API, a rate limit
// that does not pass, a lost connection, an interrupted apply (1, or 130 on a signal). After each, running the command
// again converges: apply finds what it had already made by its marker.
import { readFileSync, writeFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { beforeEach, describe, expect, it } from "vitest";
import { parseTopicSecrets, TOPIC_SECRETS_ENV } from "../../shared/core/topic-secrets.ts";
import type { CommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import { freePort } from "../support/local-commands.ts";
import {
  expectOneLine,
  fixture,
  inWorkspace,
  NO_EXTERNAL,
  type Ran,
  runCommand,
  spawnCommand,
  startCommand,
  URL_A,
  useStandIn,
  type Workspace,
  workspace,
} from "./command.ts";
import { EXPECTED_WEBHOOKS } from "./relationships.ts";

const HANDLERS = fixture("handlers.ts");

let standIn: CommerceLayerStandIn;

useStandIn((started) => {
  standIn = started;
});
beforeEach(() => standIn.reset());

const apply = (space: Workspace, handlers = HANDLERS) =>
  runCommand(standIn, inWorkspace(space, "apply", "--url", URL_A, "--handlers", handlers));

/** Running apply again made Commerce Layer and the env file what the handlers file says. */
async function expectConverges(space: Workspace): Promise<Ran> {
  const ran = await apply(space);
  expect(ran.code, ran.stderr).toBe(0);
  const webhooks = standIn.webhooks();
  expect(webhooks.map(({ topic }) => topic).sort()).toEqual(EXPECTED_WEBHOOKS.map(({ topic }) => topic));
  const bound = parseTopicSecrets(parseEnv(readFileSync(space.envFile, "utf8"))[TOPIC_SECRETS_ENV]);
  expect([...bound.values()].flat().sort()).toEqual(webhooks.map(({ shared_secret }) => shared_secret).sort());
  return ran;
}

describe("a command line it cannot run: the usage, exit 2", () => {
  it.each([
    [["deploy"], "commercelayer: unknown command: deploy"],
    [["plan", "--url", URL_A, "--force"], "commercelayer: Unknown option '--force'"],
  ])("%j, in a process of its own", async (args, first) => {
    const ran = await spawnCommand(standIn, args);
    expect(ran.code).toBe(2);
    expect(ran.stderr.split("\n")[0]).toContain(first);
    expect(ran.stderr).toContain("Usage: npm run commercelayer -- <command> [options]");
    expect(standIn.tokenRequests()).toEqual([]);
  });

  it.each([
    [[], "which command?"],
    [["apply", "--external-handlers", NO_EXTERNAL], "apply needs --url"],
    [["plan", "--url", "receiver.example/hook"], "--url receiver.example/hook: give the receiver's full URL"],
    [["status", "--rotate"], "--rotate is not an option of status"],
    [["redeliver", "--since", "yesterday"], "--since yesterday: give an ISO time"],
    [["enable", "extra"], "unexpected argument: extra"],
  ])("%j", async (args, first) => {
    const ran = await runCommand(standIn, args);
    expect(ran.code).toBe(2);
    expect(ran.stderr.split("\n")[0]).toContain(`commercelayer: ${first}`);
    expect(ran.stderr).toContain("Usage:");
  });
});

describe("credentials", () => {
  it("names the missing variables in one line, exit 2", async () => {
    const space = workspace(standIn);
    writeFileSync(space.envFile, "UNRELATED=1\n");
    const none = await spawnCommand(standIn, inWorkspace(space, "status"));
    expect(none.code).toBe(2);
    expectOneLine(none, /^commercelayer: missing COMMERCELAYER_CLIENT_ID and COMMERCELAYER_CLIENT_SECRET: /);

    writeFileSync(space.envFile, `COMMERCELAYER_CLIENT_ID=${standIn.clientId}\n`);
    const half = await runCommand(standIn, inWorkspace(space, "status"));
    expect(half.code).toBe(2);
    expectOneLine(half, /^commercelayer: missing COMMERCELAYER_CLIENT_SECRET: /);
  });

  it("a refused token: one line, exit 1 (the environment wins over the env file)", async () => {
    const space = workspace(standIn);
    const refused = await spawnCommand(standIn, inWorkspace(space, "status"), {
      COMMERCELAYER_CLIENT_SECRET: "not-the-secret",
    });
    expect(refused.code).toBe(1);
    expectOneLine(refused, /^commercelayer: token refused by http:\/\/127\.0\.0\.1:\d+ \(401 invalid_client: /);
    expect(refused.stderr).toContain("check COMMERCELAYER_CLIENT_ID and COMMERCELAYER_CLIENT_SECRET");
    expect(refused.stderr).not.toContain("not-the-secret");
  });

  it("a token endpoint that cannot be reached: one line, exit 1", async () => {
    const space = workspace(standIn);
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const ran = await spawnCommand(standIn, inWorkspace(space, "status"), { COMMERCELAYER_AUTH_ENDPOINT: nowhere });
    expect(ran.code).toBe(1);
    expectOneLine(ran, `commercelayer: ${nowhere} cannot be reached (ECONNREFUSED): check COMMERCELAYER_AUTH_ENDPOINT`);
  });

  it("an API endpoint that cannot be reached: one line, exit 1", async () => {
    const space = workspace(standIn);
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const ran = await spawnCommand(standIn, inWorkspace(space, "status"), { COMMERCELAYER_API_ENDPOINT: nowhere });
    expect(ran.code).toBe(1);
    expectOneLine(ran, `${nowhere} cannot be reached (ECONNREFUSED): check COMMERCELAYER_API_ENDPOINT`);
  });
});

describe("errors from the API: one line naming the request, exit 1, and the next apply converges", () => {
  it.each([
    [401, /401 Unauthorized \(Invalid token: The access token you provided is invalid\.\): the API refused/],
    [403, /403 Forbidden \(.*\): the integration may not do this: managing webhooks needs an admin integration/],
    [404, /404 Not Found \(Record not found: .*\): not found/],
    [422, /422 Unprocessable Entity \(base - is invalid\): Commerce Layer refused the values/],
    [
      500,
      /500 Internal Server Error \(Internal server error: Something went wrong.*\): Commerce Layer failed to answer: run again$/,
    ],
  ])("%i on a create", async (status, line) => {
    const space = workspace(standIn);
    standIn.failNext({ method: "POST", path: "/api/webhooks", status });
    // The first create fails; nothing after it is attempted.
    const failed = await apply(space);
    expect(failed.code).toBe(1);
    expectOneLine(failed, /^commercelayer: create the customer_addresses\.create webhook: /, line);
    expect(failed.stdout).not.toContain("written to");

    const ran = await expectConverges(space);
    expect(ran.stdout.match(/\+ created/g)).toHaveLength(4);
  });

  it("a webhook Commerce Layer refuses (an include path its resource does not have): the API's words", async () => {
    const space = workspace(standIn);
    const ran = await apply(space, fixture("handlers-bad-include.ts"));
    expect(ran.code).toBe(1);
    expectOneLine(
      ran,
      /^commercelayer: create the returns\.approve webhook: 422 Unprocessable Entity \(include_resources - is invalid: no_such_relationship\)/,
    );
  });

  it("a half-done apply (one create made, an update refused) converges on the next run, finding its own by marker", async () => {
    const space = workspace(standIn);
    await apply(space, fixture("handlers-fewer.ts"));
    standIn.failNext({ method: "PATCH", path: /^\/api\/webhooks\//, status: 500 });
    const failed = await apply(space);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("+ created returns.approve");
    expectOneLine(failed, /^commercelayer: update the orders\.approve webhook \w+: 500 /);

    standIn.clearRequests();
    const ran = await expectConverges(space);
    expect(ran.stdout).not.toContain("+ created");
    expect(standIn.writeRequests().map(({ method }) => method)).toEqual(["PATCH"]);
  });
});

describe("rate limits and lost connections", () => {
  it("waits as Retry-After says on a 429 and goes on", async () => {
    const space = workspace(standIn);
    standIn.failNext({ method: "GET", path: "/api/webhooks", status: 429, retryAfterSeconds: 1, times: 2 });
    const started = Date.now();
    const ran = await apply(space);
    expect(ran.code, ran.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    const statuses = standIn.requests({ method: "GET", path: "/api/webhooks" }).map(({ status }) => status);
    expect(statuses.slice(0, 3)).toEqual([429, 429, 200]);
    await expectConverges(space);
  });

  it("gives up after a few 429s with one line", async () => {
    const space = workspace(standIn);
    standIn.failNext({ method: "GET", path: "/api/webhooks", status: 429, retryAfterSeconds: 0, times: 10 });
    const ran = await apply(space);
    expect(ran.code).toBe(1);
    expectOneLine(ran, /^commercelayer: list the managed webhooks: 429 .*still rate limited after several tries/);
    expect(standIn.requests({ method: "GET", path: "/api/webhooks" })).toHaveLength(5);
  });

  it("a connection lost mid-apply: one line, exit 1; the next apply converges", async () => {
    const space = workspace(standIn);
    await apply(space, fixture("handlers-fewer.ts"));
    standIn.failNext({ method: "POST", path: "/api/webhooks", dropConnection: true });
    const ran = await apply(space);
    expect(ran.code).toBe(1);
    expectOneLine(
      ran,
      /^commercelayer: create the returns\.approve webhook: the connection to http:\/\/127\.0\.0\.1:\d+ was lost \(/,
    );
    await expectConverges(space);
  });
});

describe("an interrupted apply", () => {
  it("ends with one line on Ctrl-C, keeps what it made, and the next apply finishes the work", async () => {
    const space = workspace(standIn);
    await apply(space, fixture("handlers-fewer.ts"));
    // The update after the create hangs: the user presses Ctrl-C.
    standIn.failNext({ method: "PATCH", path: /^\/api\/webhooks\//, dropConnection: true, delayMs: 5000 });
    const { child, done } = startCommand(inWorkspace(space, "apply", "--url", URL_A, "--handlers", HANDLERS));
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk;
      if (stdout.includes("+ created returns.approve")) setTimeout(() => child.kill("SIGINT"), 300);
    });
    const ran = await done;
    expect(ran.code).toBe(130);
    expectOneLine(ran, /^commercelayer: interrupted \(SIGINT\): what was done is kept; run the command again/);
    standIn.clearFaults();

    standIn.clearRequests();
    const finished = await expectConverges(space);
    expect(finished.stdout).not.toContain("+ created");
    expect(standIn.writeRequests().map(({ method }) => method)).toEqual(["PATCH"]);
  });
});

describe("a handlers file that does not load", () => {
  it("one line naming it, exit 1, before any token is asked for", async () => {
    const space = workspace(standIn);
    const ran = await spawnCommand(
      standIn,
      inWorkspace(space, "plan", "--url", URL_A, "--handlers", fixture("handlers-broken.ts")),
    );
    expect(ran.code).toBe(1);
    expectOneLine(ran, /handlers-broken\.ts does not load: the ERP client needs ERP_URL$/);
    expect(standIn.tokenRequests()).toEqual([]);
  });
});
