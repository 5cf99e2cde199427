// Commerce Layer as code, end to end, as a user runs it: the stand-in of Commerce Layer's API, `npm start` serving a
// handlers file of the suite's own, and `npm run commercelayer` between them. apply creates the webhooks disabled and
// writes their secrets to the env file npm start reads; enable switches them on; the stand-in's signed deliveries are
// handled; a topic-swapped one is refused; a failing handler opens a circuit that status reports and reset closes;
// redeliver re-fires the events Commerce Layer gave up on.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CIRCUIT_BREAKER_FAILURES } from "../../shared/core/commerce-layer.ts";
import { ROOT } from "../support/bundles.ts";
import { type CommerceLayerStandIn, startCommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import { startProcess } from "../support/http.ts";
import { freePort, freshEnv } from "../support/local-commands.ts";
import { fixture, inWorkspace, spawnCommand, type Workspace, workspace } from "./command.ts";

const HANDLERS = "test/commercelayer/fixtures/end-to-end-handlers.ts";
const TOPICS = ["customers.create", "orders.approve", "orders.cancel"];

let standIn: CommerceLayerStandIn;
let space: Workspace;
let receiver: Awaited<ReturnType<typeof startProcess>>;
let url: string;
let marker: string;

const command = (...args: string[]) => spawnCommand(standIn, inWorkspace(space, ...args));

beforeAll(async () => {
  standIn = await startCommerceLayerStandIn();
  space = workspace(standIn);
  marker = join(space.dir, "fail");
  const port = await freePort();
  // The Vercel Web path: any platform's would do, they share the pipeline.
  url = `http://127.0.0.1:${port}/vercel/api/webhooks/commercelayer`;
}, 30_000);

afterAll(async () => {
  await receiver?.stop();
  await standIn?.close();
  rmSync(space.dir, { recursive: true, force: true });
});

describe("npm run commercelayer against the stand-in, with npm start as the receiver", () => {
  it("apply creates one disabled webhook per topic and writes their secrets to the env file; a second apply writes nothing", async () => {
    const applied = await command("apply", "--url", url, "--handlers", fixture("end-to-end-handlers.ts"));
    expect(applied.code, applied.stderr).toBe(0);
    const webhooks = standIn.webhooks();
    expect(webhooks.map((webhook) => webhook.topic).sort()).toEqual(TOPICS);
    expect(webhooks.every((webhook) => webhook.disabled_at !== null && webhook.callback_url === url)).toBe(true);
    standIn.clearRequests();
    const again = await command("apply", "--url", url, "--handlers", fixture("end-to-end-handlers.ts"));
    expect(again.code, again.stderr).toBe(0);
    expect(standIn.writeRequests()).toEqual([]);
  });

  it("npm start reads the env file; enable switches the webhooks on", async () => {
    receiver = await startProcess(
      "npm",
      ["start", "--", "--handlers", HANDLERS, "--env-file", space.envFile, "--no-watch"],
      {
        cwd: ROOT,
        env: freshEnv({ PORT: new URL(url).port, E2E_FAIL_MARKER: marker }),
        ready: /Ctrl-C stops it/,
        timeoutMs: 60_000,
      },
    );
    expect(receiver.output()).toContain(`read ${space.envFile}`);
    const enabled = await command("enable");
    expect(enabled.code, enabled.stderr).toBe(0);
    expect(standIn.webhooks().every((webhook) => webhook.disabled_at === null)).toBe(true);
  }, 90_000);

  it("a delivery signed with its webhook's secret is handled; the same bytes under another topic are refused", async () => {
    const { attempts } = await standIn.emit("orders.approve", { type: "orders", attributes: { status: "approved" } });
    expect(attempts.map((attempt) => attempt.responseCode)).toEqual(["200"]);
    const [genuine] = attempts;
    if (genuine === undefined) throw new Error("no delivery");
    const swapped = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-commercelayer-topic": "orders.cancel",
        "x-commercelayer-signature": genuine.signature,
      },
      body: genuine.body,
    });
    expect(swapped.status).toBe(401);
    expect(await swapped.json()).toEqual({ error: "signed_for_another_topic" });
  });

  it("a failing handler opens the circuit: status exits 1 and says so; reset closes it and status exits 0", async () => {
    writeFileSync(marker, "");
    for (let failure = 0; failure < CIRCUIT_BREAKER_FAILURES; failure++) {
      const { attempts } = await standIn.emit("customers.create", { type: "customers", attributes: { email: "x" } });
      expect(attempts.map((attempt) => attempt.responseCode)).toEqual(["500"]);
    }
    const failing = standIn.webhooks().find((webhook) => webhook.topic === "customers.create");
    expect(failing?.circuit_state).toBe("open");
    const open = await command("status", "--url", url);
    expect(open.code).toBe(1);
    expect(open.stdout).toMatch(/customers\.create[^\n]*\n(\s+[^\n]*\n)*?\s+circuit open/);
    const reset = await command("reset");
    expect(reset.code, reset.stderr).toBe(0);
    const closed = await command("status", "--url", url);
    expect(closed.code, closed.stdout).toBe(0);
  }, 60_000);

  it("redeliver lists the events of the failed deliveries, and with --yes re-fires them through", async () => {
    rmSync(marker);
    const listed = await command("redeliver", "--since", "1h");
    expect(listed.code, listed.stderr).toBe(0);
    const failedEvents = new Set(
      standIn
        .deliveries()
        .filter((attempt) => attempt.topic === "customers.create" && !attempt.ok)
        .map((attempt) => attempt.eventId),
    );
    expect(failedEvents.size).toBe(CIRCUIT_BREAKER_FAILURES);
    for (const event of failedEvents) expect(listed.stdout).toContain(event);
    const before = standIn.deliveries().length;
    const refired = await command("redeliver", "--since", "1h", "--yes");
    expect(refired.code, refired.stderr).toBe(0);
    const after = standIn.deliveries().slice(before);
    expect(new Set(after.map((attempt) => attempt.eventId))).toEqual(failedEvents);
    expect(after.every((attempt) => attempt.responseCode === "200")).toBe(true);
  }, 60_000);
});
