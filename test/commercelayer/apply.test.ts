// `plan` and `apply` against the stand-in: what plan prints is what apply makes (one webhook per topic, disabled,
// marked, with the includes the handlers declared), a second apply sends no write request, webhooks made by someone
// else are left alone, a removed handler is a planned delete, the secrets land in the env file and nowhere else, and
// a rotation keeps both secrets until the new webhook is enabled. The first case runs the command in a process of its
// own, as a user does; the others call its main() in this process.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { parseTopicSecrets, TOPIC_SECRETS_ENV } from "../../shared/core/topic-secrets.ts";
import { CURRENT_TOPICS } from "../../shared/generated/topics.ts";
import type { CommerceLayerStandIn, WebhookSnapshot } from "../support/commercelayer-api/stand-in.ts";
import {
  fixture,
  inWorkspace,
  NO_EXTERNAL,
  runCommand,
  spawnCommand,
  URL_A,
  URL_B,
  useStandIn,
  workspace,
} from "./command.ts";
import { EXPECTED_WEBHOOKS } from "./relationships.ts";

const MARKER = "commercelayer-webhooks-serverless";
const HANDLERS = fixture("handlers.ts");

let standIn: CommerceLayerStandIn;

useStandIn((started) => {
  standIn = started;
});
beforeEach(() => standIn.reset());

function byTopic(webhooks: WebhookSnapshot[]): WebhookSnapshot[] {
  return [...webhooks].sort((a, b) => a.topic.localeCompare(b.topic) || a.created_at.localeCompare(b.created_at));
}

/** The variable apply wrote, parsed as the receiver parses it. */
function boundSecrets(envFile: string): Record<string, readonly string[]> {
  return Object.fromEntries(parseTopicSecrets(parseEnv(readFileSync(envFile, "utf8"))[TOPIC_SECRETS_ENV]));
}

describe("plan and apply, as a user runs them", () => {
  it("plan prints what apply makes; apply makes exactly that, disabled, marked; a second apply writes nothing", async () => {
    const space = workspace(standIn);
    const before = readFileSync(space.envFile, "utf8");

    const plan = await spawnCommand(standIn, inWorkspace(space, "plan", "--url", URL_A, "--handlers", HANDLERS));
    expect(plan.code, plan.stderr).toBe(0);
    for (const { topic, include_resources } of EXPECTED_WEBHOOKS) {
      const includes = include_resources.join(", ") || "(none)";
      expect(plan.stdout).toContain(`+ create ${topic} (include_resources: ${includes}; created disabled)`);
    }
    expect(plan.stdout).toContain("Plan: 4 to create, 0 to update, 0 to delete.");
    expect(standIn.writeRequests()).toEqual([]);

    const applied = await spawnCommand(standIn, inWorkspace(space, "apply", "--url", URL_A, "--handlers", HANDLERS));
    expect(applied.code, applied.stderr).toBe(0);
    const webhooks = byTopic(standIn.webhooks());
    expect(
      webhooks.map(({ topic, include_resources }) => ({ topic, include_resources: include_resources ?? [] })),
    ).toEqual(EXPECTED_WEBHOOKS);
    for (const webhook of webhooks) {
      expect(webhook).toMatchObject({ callback_url: URL_A, reference_origin: MARKER, reference: webhook.topic });
      expect(webhook.disabled_at, `${webhook.topic} is disabled`).not.toBeNull();
    }
    // Created disabled in the same request: never enabled, not even for a moment.
    expect(standIn.writeRequests().map(({ method, path }) => `${method} ${path}`)).toEqual(
      Array(4).fill("POST /api/webhooks"),
    );

    // The secrets, bound to their topics, in one line of the env file; every other line as it was.
    const after = readFileSync(space.envFile, "utf8");
    expect(boundSecrets(space.envFile)).toEqual(
      Object.fromEntries(webhooks.map(({ topic, shared_secret }) => [topic, [shared_secret]])),
    );
    expect(after.split("\n").filter((line) => line.startsWith(`${TOPIC_SECRETS_ENV}=`))).toHaveLength(1);
    expect(after.replace(new RegExp(`^${TOPIC_SECRETS_ENV}=.*\\n`, "m"), "")).toBe(before);
    expect(applied.stdout).toContain("then `npm run commercelayer -- enable` (4 disabled)");

    standIn.clearRequests();
    const again = await spawnCommand(standIn, inWorkspace(space, "apply", "--url", URL_A, "--handlers", HANDLERS));
    expect(again.code, again.stderr).toBe(0);
    expect(standIn.writeRequests()).toEqual([]);
    expect(readFileSync(space.envFile, "utf8")).toBe(after);
    expect(again.stdout).toContain("= unchanged (4)");
    expect(again.stdout).toContain(`${TOPIC_SECRETS_ENV} in ${space.envFile} is up to date (4 secrets)`);
  });

  it("reuses its token across runs (cached on disk, mode 0600) until shortly before it expires", async () => {
    const space = workspace(standIn);
    for (let run = 0; run < 2; run++) {
      const ran = await spawnCommand(standIn, inWorkspace(space, "plan", "--url", URL_A, "--handlers", HANDLERS));
      expect(ran.code, ran.stderr).toBe(0);
    }
    expect(standIn.tokenRequests()).toHaveLength(1);
    const [cached] = readdirSync(space.cacheDir);
    expect(statSync(join(space.cacheDir, cached as string)).mode & 0o777).toBe(0o600);

    // A token that expires within minutes is not reused.
    const shortLived = workspace(standIn);
    standIn.setTokenLifetime(120);
    try {
      standIn.clearRequests();
      await runCommand(standIn, inWorkspace(shortLived, "status"));
      await runCommand(standIn, inWorkspace(shortLived, "status"));
      expect(standIn.tokenRequests()).toHaveLength(2);
    } finally {
      standIn.setTokenLifetime(14_400);
    }

    // A cached token the API refuses is replaced once, and the run goes on.
    standIn.revokeTokens();
    standIn.clearRequests();
    const renewed = await runCommand(standIn, inWorkspace(space, "plan", "--url", URL_A, "--handlers", HANDLERS));
    expect(renewed.code, renewed.stderr).toBe(0);
    expect(standIn.tokenRequests()).toHaveLength(1);
  });
});

describe("what apply changes and what it leaves alone", () => {
  it("never touches a webhook it did not make, and lists it as not managed", async () => {
    const space = workspace(standIn);
    const byHand = standIn.seed("webhooks", {
      attributes: { topic: "orders.approve", callback_url: URL_A, name: "made in the dashboard" },
    });
    const otherTool = standIn.seed("webhooks", {
      attributes: { topic: "returns.approve", callback_url: URL_B, reference_origin: "another-tool" },
    });
    const untouched = standIn.webhooks();

    const plan = await runCommand(standIn, inWorkspace(space, "plan", "--url", URL_A, "--handlers", HANDLERS));
    expect(plan.stdout).toContain("not managed, left alone (2):");
    expect(plan.stdout).toContain(`orders.approve ${byHand.id} -> ${URL_A}`);
    expect(plan.stdout).toContain(`returns.approve ${otherTool.id} -> ${URL_B}`);
    expect(plan.stdout).toMatch(/note: orders\.approve .*not managed.* posts to the same URL/);
    expect(plan.stdout).toContain("Plan: 4 to create, 0 to update, 0 to delete.");

    const applied = await runCommand(standIn, inWorkspace(space, "apply", "--url", URL_A, "--handlers", HANDLERS));
    expect(applied.code, applied.stderr).toBe(0);
    const written = standIn.writeRequests().map(({ path }) => path);
    expect(written.some((path) => path.includes(byHand.id) || path.includes(otherTool.id))).toBe(false);
    for (const webhook of untouched) {
      expect(standIn.webhooks().find(({ id }) => id === webhook.id)).toEqual(webhook);
    }
    // Only the managed webhooks' secrets are bound.
    const managed = standIn.webhooks().filter(({ reference_origin }) => reference_origin === MARKER);
    expect(Object.values(boundSecrets(space.envFile)).flat().sort()).toEqual(
      managed.map(({ shared_secret }) => shared_secret).sort(),
    );
  });

  it("plans a removed handler as a delete and changed fields one by one; apply carries them out", async () => {
    const space = workspace(standIn);
    await runCommand(standIn, inWorkspace(space, "apply", "--url", URL_A, "--handlers", HANDLERS));
    const ids = Object.fromEntries(standIn.webhooks().map(({ topic, id }) => [topic, id]));
    const fewer = fixture("handlers-fewer.ts");

    const plan = await runCommand(standIn, inWorkspace(space, "plan", "--url", URL_B, "--handlers", fewer));
    expect(plan.stdout).toContain(`  ~ update orders.approve ${ids["orders.approve"]}`);
    expect(plan.stdout).toContain(`      callback_url: ${URL_A} -> ${URL_B}`);
    expect(plan.stdout).toContain("      include_resources: customer, line_items -> line_items");
    expect(plan.stdout).toContain(
      `  - delete returns.approve ${ids["returns.approve"]}: no handler for this topic any more`,
    );
    expect(plan.stdout).toContain("Plan: 0 to create, 3 to update, 1 to delete.");

    const json = await runCommand(standIn, inWorkspace(space, "plan", "--json", "--url", URL_B, "--handlers", fewer));
    const document = JSON.parse(json.stdout);
    expect(document.delete).toEqual([
      { id: ids["returns.approve"], topic: "returns.approve", reason: "no handler for this topic any more" },
    ]);
    expect(document.update.find(({ topic }: { topic: string }) => topic === "orders.approve").changes).toEqual([
      { field: "callback_url", from: URL_A, to: URL_B },
      { field: "include_resources", from: ["customer", "line_items"], to: ["line_items"] },
    ]);
    expect(document.create).toEqual([]);

    const applied = await runCommand(standIn, inWorkspace(space, "apply", "--url", URL_B, "--handlers", fewer));
    expect(applied.code, applied.stderr).toBe(0);
    const webhooks = byTopic(standIn.webhooks());
    expect(webhooks.map(({ topic }) => topic)).toEqual([
      "customer_addresses.create",
      "customer_addresses.destroy",
      "orders.approve",
    ]);
    expect(webhooks.every(({ callback_url }) => callback_url === URL_B)).toBe(true);
    expect(Object.keys(boundSecrets(space.envFile))).toEqual(webhooks.map(({ topic }) => topic));
  });

  it('warns what "*" means: one webhook per topic Commerce Layer offers', async () => {
    const space = workspace(standIn);
    const plan = await runCommand(
      standIn,
      inWorkspace(space, "plan", "--json", "--url", URL_A, "--handlers", fixture("handlers-any.ts")),
    );
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain(`"*" means ${CURRENT_TOPICS.length} webhooks`);
    const document = JSON.parse(plan.stdout);
    expect(document.create.map(({ topic }: { topic: string }) => topic)).toEqual([...CURRENT_TOPICS].sort());
    expect(document.warnings).toHaveLength(1);
  });

  it("creates an env file that does not exist, readable by its owner only, with the variable alone", async () => {
    const space = workspace(standIn);
    const fresh = join(space.dir, "fresh.env");
    vi.stubEnv("COMMERCELAYER_CLIENT_ID", standIn.clientId);
    vi.stubEnv("COMMERCELAYER_CLIENT_SECRET", standIn.clientSecret);
    vi.stubEnv("COMMERCELAYER_API_ENDPOINT", standIn.apiEndpoint);
    vi.stubEnv("COMMERCELAYER_AUTH_ENDPOINT", standIn.authEndpoint);
    vi.stubEnv("COMMERCELAYER_TOKEN_CACHE_DIR", space.cacheDir);
    try {
      const applied = await runCommand(standIn, [
        "apply",
        ...["--url", URL_A, "--handlers", HANDLERS, "--external-handlers", NO_EXTERNAL, "--env-file", fresh],
      ]);
      expect(applied.code, applied.stderr).toBe(0);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    const text = readFileSync(fresh, "utf8");
    expect(text.split("\n")).toEqual([expect.stringMatching(`^${TOPIC_SECRETS_ENV}=`), ""]);
    expect(Object.keys(boundSecrets(fresh))).toHaveLength(4);
  });
});

describe("rotation: a second webhook per topic, both secrets bound until the new one is enabled", () => {
  it("apply --rotate, enable, apply: the old webhooks and secrets go, no delivery is ever refused", async () => {
    const space = workspace(standIn);
    const apply = (...extra: string[]) =>
      runCommand(standIn, inWorkspace(space, "apply", "--url", URL_A, "--handlers", HANDLERS, ...extra));
    await apply();
    await runCommand(standIn, inWorkspace(space, "enable"));
    const old = standIn.webhooks();

    const rotating = await apply("--rotate");
    expect(rotating.code, rotating.stderr).toBe(0);
    expect(rotating.stdout.match(/\+ created .* for the rotation; disabled\)/g)).toHaveLength(4);
    const during = standIn.webhooks();
    expect(during).toHaveLength(8);
    // Both secrets of every topic are bound; the old webhooks still deliver, the new ones wait.
    for (const [topic, secrets] of Object.entries(boundSecrets(space.envFile))) {
      expect(secrets, topic).toHaveLength(2);
      expect(secrets).toEqual(
        during
          .filter((webhook) => webhook.topic === topic)
          .map((w) => w.shared_secret)
          .reverse(),
      );
    }
    expect(old.every(({ id }) => during.find((webhook) => webhook.id === id)?.disabled_at === null)).toBe(true);

    // Until the new webhooks are enabled, apply keeps both, and rotating again starts nothing.
    standIn.clearRequests();
    const waiting = await apply("--rotate");
    expect(waiting.stdout).toContain("rotation under way");
    expect(standIn.writeRequests()).toEqual([]);

    await runCommand(standIn, inWorkspace(space, "enable"));
    const finished = await apply();
    expect(finished.stdout.match(/- deleted .*: replaced by \w+, which is enabled/g)).toHaveLength(4);
    const after = standIn.webhooks();
    expect(after).toHaveLength(4);
    expect(after.some(({ id }) => old.some((webhook) => webhook.id === id))).toBe(false);
    expect(boundSecrets(space.envFile)).toEqual(
      Object.fromEntries(after.map(({ topic, shared_secret }) => [topic, [shared_secret]])),
    );
  });
});
