// The deploy scripts' handling of the webhook's secrets (infra/deploy/webhook-secrets.ts), without a platform: which
// secrets bound to topics are here to carry, the refusal of secrets a function's environment cannot hold, that no line
// can carry a secret, the `npm run commercelayer` commands printed, and `--env-file` taken out of what goes to the
// platform CLI. test/emulators/deploy runs the scripts themselves against the platforms' CLIs.
import { afterEach, describe, expect, it, vi } from "vitest";
import { DeployStop, parseDeployOptions } from "../../infra/deploy/preflight.ts";
import {
  checkEnvironmentSize,
  commerceLayerCommand,
  type EnvFile,
  LAMBDA_ENVIRONMENT,
  plannedStage,
  topicSecretsHere,
  VERCEL_ENVIRONMENT,
  withoutSecrets,
} from "../../infra/deploy/webhook-secrets.ts";

const PROJECT_ENV: EnvFile = { path: "/repo/.env", given: undefined, shown: ".env" };
const VALUE = "orders.place=cGxhY2U+/w==,orders.cancel=Y2FuY2Vs,orders.place=b2xkLXBsYWNl";

/** `count` entries of about 70 bytes, as apply writes one per webhook. */
const webhooks = (count: number) =>
  Array.from({ length: count }, (_, index) => `orders.topic_${index}=${"A".repeat(50)}`).join(",");

/** The refusal's message, or undefined when the size passes. */
function refusal(limit = LAMBDA_ENVIRONMENT): string | undefined {
  try {
    checkEnvironmentSize(limit);
    return undefined;
  } catch (error) {
    if (error instanceof DeployStop) return error.message;
    throw error;
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the secrets bound to topics here", () => {
  it("counts one entry per webhook (a topic twice: two webhooks, or a rotation), and their bytes", () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", ` ${VALUE} `);
    expect(topicSecretsHere()).toEqual({ value: VALUE, entries: 3, bytes: VALUE.length });
  });

  it("are none when the variable is unset or blank: nothing to carry, apply comes next", () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", "  ");
    expect(topicSecretsHere()).toBeUndefined();
    expect(plannedStage(topicSecretsHere())).toBe("apply");
  });

  it("lead to enable after the deploy only with the integration's credentials", () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", VALUE);
    vi.stubEnv("COMMERCELAYER_CLIENT_ID", "id");
    vi.stubEnv("COMMERCELAYER_CLIENT_SECRET", "");
    expect(plannedStage(topicSecretsHere())).toBe("enable");
    vi.stubEnv("COMMERCELAYER_CLIENT_SECRET", "secret");
    expect(plannedStage(topicSecretsHere())).toBe("status");
  });

  it("never reach a line: the whole value and each secret are masked", () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", VALUE);
    const secrets = topicSecretsHere();
    if (secrets === undefined) throw new Error("no secrets");
    expect(withoutSecrets(`error: ${VALUE} (b2xkLXBsYWNl rejected)`, secrets)).toBe("error: *** (*** rejected)");
  });
});

describe("the size of a function's environment", () => {
  it("lets through what fits in Lambda's 4 KB, with 512 bytes kept for the function's other variables", () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", webhooks(40));
    expect(refusal()).toBeUndefined();
  });

  it("refuses 55 webhooks on Lambda (and Netlify), saying the bytes, the limit and what to do", () => {
    const value = webhooks(55);
    vi.stubEnv("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", value);
    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", "plain");
    const bytes =
      "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS".length + value.length + "COMMERCELAYER_WEBHOOK_SECRET".length + 5;
    expect(refusal()).toBe(
      `COMMERCELAYER_WEBHOOK_TOPIC_SECRETS and COMMERCELAYER_WEBHOOK_SECRET take ${bytes} bytes, over the 3584 left for them in a function's environment (AWS Lambda allows 4096 bytes for all its variables; 512 are kept for the others): handle fewer topics (name them instead of "*" or "resource.*"), or, for a "*" handler, configure its webhooks by hand with their secrets in COMMERCELAYER_WEBHOOK_SECRET (no topic names: about 45 bytes a webhook)`,
    );
    // Vercel's 64 KB per deployment holds them.
    expect(refusal(VERCEL_ENVIRONMENT)).toBeUndefined();
  });

  it("counts bytes, not characters", () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", "é".repeat(1800));
    expect(refusal()).toContain("take 3628 bytes");
  });
});

describe("the commands printed", () => {
  it("are npm run commercelayer's, with the deploy's --env-file when one was given", () => {
    expect(commerceLayerCommand("apply", PROJECT_ENV, "https://x.example/webhooks/commercelayer")).toBe(
      "npm run commercelayer -- apply --url https://x.example/webhooks/commercelayer",
    );
    const given: EnvFile = { path: "/abs/prod.env", given: "prod.env", shown: "prod.env" };
    expect(commerceLayerCommand("enable", given)).toBe("npm run commercelayer -- enable --env-file prod.env");
  });
});

describe("the deploy scripts' options", () => {
  it("keep --env-file for themselves and hand everything else to the platform CLI", () => {
    expect(parseDeployOptions(["--env-file", "prod.env", "--stage", "prod"])).toMatchObject({
      envFile: "prod.env",
      passThrough: ["--stage", "prod"],
    });
    expect(parseDeployOptions(["--env-file=prod.env", "--dry-run"])).toMatchObject({
      envFile: "prod.env",
      dryRun: true,
      passThrough: [],
    });
    expect(() => parseDeployOptions(["--env-file"])).toThrow("--env-file needs a file");
  });
});
