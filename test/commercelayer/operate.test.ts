// `enable`, `status`, `reset` and `redeliver` against the stand-in, its deliveries going to a receiver on loopback
// whose answers each test chooses: enabling is idempotent, status fails (exit 1) on a disabled webhook, an open
// circuit or another URL and says so in JSON too, reset closes open circuits only, and redeliver finds the events of
// failed callbacks, lists them, and re-fires them only with --yes.
import type { Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CIRCUIT_BREAKER_FAILURES } from "../../shared/core/commerce-layer.ts";
import { type CommerceLayerStandIn, startCommerceLayerStandIn } from "../support/commercelayer-api/stand-in.ts";
import { listenOnLoopback } from "../support/http.ts";
import {
  fixture,
  inWorkspace,
  removeWorkspaces,
  runCommand,
  spawnCommand,
  URL_B,
  type Workspace,
  workspace,
} from "./command.ts";
import { RELATIONSHIPS } from "./relationships.ts";

let standIn: CommerceLayerStandIn;
let receiver: { url: string; server: Server };
/** What the receiver answers every delivery. */
let answer = 200;
let received = 0;

beforeAll(async () => {
  standIn = await startCommerceLayerStandIn({ resourceRelationships: RELATIONSHIPS, tokenRequestsPerMinute: 0 });
  receiver = await listenOnLoopback((request, response) => {
    request.resume();
    request.on("end", () => {
      received++;
      response.writeHead(answer, { "content-type": "application/json" }).end("{}");
    });
  });
});
afterAll(async () => {
  await standIn.close();
  removeWorkspaces();
  receiver.server.closeAllConnections();
  await new Promise((resolve) => receiver.server.close(resolve));
});

let space: Workspace;

/** A workspace whose fixture webhooks are applied to the receiver, and enabled unless asked not to. */
async function applied(enabled = true): Promise<void> {
  space = workspace(standIn);
  const ran = await runCommand(
    standIn,
    inWorkspace(space, "apply", "--url", receiver.url, "--handlers", fixture("handlers.ts")),
  );
  expect(ran.code, ran.stderr).toBe(0);
  if (enabled) await runCommand(standIn, inWorkspace(space, "enable"));
  standIn.clearRequests();
}

beforeEach(() => {
  standIn.reset();
  answer = 200;
  received = 0;
});

const idOf = (topic: string) => standIn.webhooks().find((webhook) => webhook.topic === topic)?.id as string;

describe("enable", () => {
  it("switches every managed webhook on, and a second run changes nothing", async () => {
    await applied(false);
    const first = await spawnCommand(standIn, inWorkspace(space, "enable"));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("4 enabled, 0 were already.");
    expect(standIn.webhooks().every(({ disabled_at }) => disabled_at === null)).toBe(true);

    standIn.clearRequests();
    const second = await spawnCommand(standIn, inWorkspace(space, "enable"));
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("All 4 managed webhooks were enabled already.");
    expect(standIn.writeRequests()).toEqual([]);
  });
});

describe("status", () => {
  it("exits 0 when every managed webhook is healthy, and prints the same as JSON", async () => {
    await applied();
    await standIn.emit("orders.approve", { id: "ordOk", attributes: { status: "approved" } });
    const ran = await spawnCommand(standIn, inWorkspace(space, "status", "--url", receiver.url));
    expect(ran.code, ran.stdout).toBe(0);
    expect(ran.stdout).toContain("All 4 managed webhooks are healthy.");
    expect(ran.stdout).toMatch(
      /orders\.approve \w+ -> http:\/\/127\.0\.0\.1:\d+\n {4}circuit closed \(0 failures\), enabled, last responses: 200/,
    );

    const json = JSON.parse((await runCommand(standIn, inWorkspace(space, "status", "--json"))).stdout);
    expect(json.healthy).toBe(true);
    expect(json.webhooks).toHaveLength(4);
    expect(json.webhooks.find(({ topic }: { topic: string }) => topic === "orders.approve")).toEqual({
      id: idOf("orders.approve"),
      topic: "orders.approve",
      callback_url: receiver.url,
      circuit_state: "closed",
      circuit_failure_count: 0,
      disabled: false,
      last_response_codes: ["200"],
      problems: [],
    });
  });

  it("exits 1 on a disabled webhook, and on a URL that is not --url", async () => {
    await applied(false);
    const disabled = await spawnCommand(standIn, inWorkspace(space, "status"));
    expect(disabled.code).toBe(1);
    expect(disabled.stdout).toContain("problem: disabled: run enable once its secret is deployed");

    await runCommand(standIn, inWorkspace(space, "enable"));
    const elsewhere = await spawnCommand(standIn, inWorkspace(space, "status", "--url", URL_B));
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stdout).toContain(`problem: URL is not ${URL_B}: run apply`);
    const json = JSON.parse((await runCommand(standIn, inWorkspace(space, "status", "--json", "--url", URL_B))).stdout);
    expect(json.healthy).toBe(false);
    expect(json.webhooks.every(({ problems }: { problems: string[] }) => problems.length === 1)).toBe(true);
  });

  it("exits 1 on an open circuit; reset closes it, and only the open ones", async () => {
    await applied();
    answer = 500;
    // Three events, each retried nine times: 30 failures in a row (a delivery is retried at most 10 times).
    for (const id of ["ordF1", "ordF2", "ordF3"]) await standIn.emit("orders.approve", { id, attributes: {} });
    for (let retry = 0; retry < CIRCUIT_BREAKER_FAILURES / 3 - 1; retry++) await standIn.retryFailed();
    await standIn.emit("returns.approve", { id: "retFails", attributes: { status: "approved" } });
    const open = standIn.webhooks().find(({ topic }) => topic === "orders.approve");
    expect(open?.circuit_state).toBe("open");

    const ran = await spawnCommand(standIn, inWorkspace(space, "status"));
    expect(ran.code).toBe(1);
    expect(ran.stdout).toContain("problem: circuit open: fix the receiver, then run reset");
    const json = JSON.parse((await runCommand(standIn, inWorkspace(space, "status", "--json"))).stdout);
    const row = json.webhooks.find(({ topic }: { topic: string }) => topic === "orders.approve");
    expect(row).toMatchObject({ circuit_state: "open", circuit_failure_count: CIRCUIT_BREAKER_FAILURES });
    expect(row.last_response_codes).toEqual(Array(5).fill("500"));

    standIn.clearRequests();
    const reset = await spawnCommand(standIn, inWorkspace(space, "reset"));
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain(`reset orders.approve ${idOf("orders.approve")} (had 30 failures)`);
    // Only the open circuit: returns.approve failed once, its circuit is still closed.
    expect(standIn.writeRequests().map(({ method, path }) => `${method} ${path}`)).toEqual([
      `PATCH /api/webhooks/${idOf("orders.approve")}`,
    ]);
    expect(standIn.webhooks().find(({ topic }) => topic === "orders.approve")).toMatchObject({
      circuit_state: "closed",
      circuit_failure_count: 0,
    });

    standIn.clearRequests();
    const again = await runCommand(standIn, inWorkspace(space, "reset", "--topic", "orders.approve"));
    expect(again.stdout).toContain("No open circuit.");
    expect(standIn.writeRequests()).toEqual([]);
  });

  it("exits 1 when nothing is managed", async () => {
    space = workspace(standIn);
    const ran = await spawnCommand(standIn, inWorkspace(space, "status"));
    expect(ran.code).toBe(1);
    expect(ran.stderr).toBe("commercelayer: no managed webhooks: run apply first\n");
  });
});

describe("redeliver", () => {
  it("lists the events of failed callbacks once each, and re-fires them only with --yes", async () => {
    await applied();
    standIn.seed("customers", { id: "cusA", attributes: { email: "a@example.com" } });
    answer = 500;
    const approve = await standIn.emit("orders.approve", {
      id: "ordA",
      attributes: { status: "approved" },
      relationships: { customer: { type: "customers", id: "cusA" } },
    });
    await standIn.retryFailed(); // a second failed callback of the same event
    const created = await standIn.emit("customer_addresses.create", { id: "caA", attributes: {} });
    answer = 200;
    const fine = await standIn.emit("orders.approve", { id: "ordB", attributes: { status: "approved" } });
    const attemptsBefore = standIn.deliveries().length;

    const listed = await spawnCommand(standIn, inWorkspace(space, "redeliver", "--since", "1h"));
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(
      `orders.approve orders/ordA event ${approve.eventId} (2 failed callback(s), last answered 500)`,
    );
    expect(listed.stdout).toContain(`customer_addresses.create customer_addresses/caA event ${created.eventId}`);
    expect(listed.stdout).not.toContain(fine.eventId);
    expect(listed.stdout).toContain("reaches every webhook on its topic");
    expect(listed.stdout).toContain("docs/deferred-and-duplicates.md");
    expect(listed.stdout).toContain("Run again with --yes to re-fire these 2 events.");
    expect(standIn.writeRequests()).toEqual([]);

    const fired = await spawnCommand(standIn, inWorkspace(space, "redeliver", "--yes"));
    expect(fired.code, fired.stderr).toBe(0);
    expect(
      standIn
        .writeRequests()
        .map(({ method, path }) => `${method} ${path}`)
        .sort(),
    ).toEqual([`PATCH /api/events/${approve.eventId}`, `PATCH /api/events/${created.eventId}`].sort());
    const refired = standIn.deliveries().slice(attemptsBefore);
    expect(refired.map(({ eventId }) => eventId).sort()).toEqual([approve.eventId, created.eventId].sort());
    expect(refired.every(({ ok }) => ok)).toBe(true);
    expect(fired.stdout).toContain("2 event(s) re-fired.");
  });

  it("looks only as far back as --since, and only at the topic asked", async () => {
    await applied();
    answer = 500;
    await standIn.emit("orders.approve", { id: "ordOld", attributes: {} });
    const future = new Date(Date.now() + 60_000).toISOString();
    const none = await runCommand(standIn, inWorkspace(space, "redeliver", "--since", future));
    expect(none.stdout).toContain(`No failed deliveries since ${future}`);
    const other = await runCommand(standIn, inWorkspace(space, "redeliver", "--topic", "returns.approve"));
    expect(other.stdout).toContain("No failed deliveries");
    expect(received).toBe(1);
  });
});
