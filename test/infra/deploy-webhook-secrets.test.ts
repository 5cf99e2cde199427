// The deploy scripts' handling of the secrets they carry (infra/deploy/webhook-secrets.ts), without a platform: which
// variables are here to carry (the webhook's secrets bound to topics, and the secret of each external kind implemented),
// the refusal of secrets a function's environment cannot hold (per function on AWS, all together on Netlify), that no
// line can carry a secret, the stage a deploy leaves, the `npm run commercelayer` commands printed (with
// `--external-url` where the kinds are deployed), and `--env-file` taken out of what goes to the platform CLI.
// test/emulators/deploy runs the scripts themselves against the platforms' CLIs.
import { afterEach, describe, expect, it, vi } from "vitest";
import { externalTarget } from "../../infra/deploy/next-steps.ts";
import { DeployStop, parseDeployOptions } from "../../infra/deploy/preflight.ts";
import {
  type CarriedVariable,
  carriedVariables,
  checkEnvironmentSize,
  commerceLayerCommand,
  describeCarried,
  type EnvFile,
  type EnvironmentLimit,
  LAMBDA_ENVIRONMENT,
  NETLIFY_ENVIRONMENT,
  plannedStage,
  sayPlannedHandOver,
  VERCEL_ENVIRONMENT,
  withoutSecrets,
} from "../../infra/deploy/webhook-secrets.ts";
import type { ExternalKind } from "../../shared/external/kinds.ts";

const PROJECT_ENV: EnvFile = { path: "/repo/.env", given: undefined, shown: ".env" };
const VALUE = "orders.place=cGxhY2U+/w==,orders.cancel=Y2FuY2Vs,orders.place=b2xkLXBsYWNl";

/** `count` entries of about 70 bytes, as apply writes one per webhook. */
const webhooks = (count: number) =>
  Array.from({ length: count }, (_, index) => `orders.topic_${index}=${"A".repeat(50)}`).join(",");

/** Two kinds of two resources, as test/fixtures/external-some-handlers.ts implements them. */
const KINDS: ExternalKind[] = ["tax-calculator", "prices"];
/** Made up, valid nowhere: one tax calculator's secret, two markets' (comma-separated, as apply writes them). */
const TAX = "tax-secret-0f9e8d7c6b5a";
const MARKETS = "market-secret-eu-1a2b3c,market-secret-us-4d5e6f";

/** The webhook's secrets bound to topics, as carried. */
function topicSecrets(): CarriedVariable | undefined {
  return carriedVariables([]).find((variable) => variable.name === "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS");
}

/** The refusal's message, or undefined when the size passes. */
function refusal(limit: EnvironmentLimit = LAMBDA_ENVIRONMENT, kinds: ExternalKind[] = []): string | undefined {
  try {
    checkEnvironmentSize(limit, kinds);
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
    expect(topicSecrets()).toEqual({
      name: "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS",
      value: VALUE,
      reader: "webhook",
      secrets: 3,
      bytes: VALUE.length,
    });
  });

  it("are none when the variable is unset or blank: nothing to carry, apply comes next", () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", "  ");
    expect(carriedVariables([])).toEqual([]);
    expect(plannedStage(carriedVariables([]))).toBe("apply");
  });

  it("lead to enable after the deploy only with the integration's credentials", () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", VALUE);
    vi.stubEnv("COMMERCELAYER_CLIENT_ID", "id");
    vi.stubEnv("COMMERCELAYER_CLIENT_SECRET", "");
    expect(plannedStage(carriedVariables([]))).toBe("enable");
    vi.stubEnv("COMMERCELAYER_CLIENT_SECRET", "secret");
    expect(plannedStage(carriedVariables([]))).toBe("status");
  });

  it("never reach a line: the whole value and each secret are masked", () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", VALUE);
    expect(withoutSecrets(`error: ${VALUE} (b2xkLXBsYWNl rejected)`, carriedVariables([]))).toBe(
      "error: *** (*** rejected)",
    );
  });
});

describe("the external kinds' secrets here", () => {
  it("are carried after the webhook's, once per resource type of the kinds implemented, each counted and sized", () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", VALUE);
    vi.stubEnv("COMMERCELAYER_TAX_CALCULATOR_SECRET", TAX);
    vi.stubEnv("COMMERCELAYER_MARKET_SECRET", ` ${MARKETS}`);
    // A kind not implemented: its variable stays here.
    vi.stubEnv("COMMERCELAYER_PROMOTION_SECRET", "promotion-secret-not-carried");
    // prices and order-validation read one variable: carried once.
    expect(carriedVariables([...KINDS, "order-validation"])).toEqual([
      { name: "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", value: VALUE, reader: "webhook", secrets: 3, bytes: VALUE.length },
      { name: "COMMERCELAYER_TAX_CALCULATOR_SECRET", value: TAX, reader: "external", secrets: 1, bytes: TAX.length },
      { name: "COMMERCELAYER_MARKET_SECRET", value: MARKETS, reader: "external", secrets: 2, bytes: MARKETS.length },
    ]);
  });

  it("are said by name, count and size, each where it goes, and never by value", () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", VALUE);
    vi.stubEnv("COMMERCELAYER_TAX_CALCULATOR_SECRET", TAX);
    vi.stubEnv("COMMERCELAYER_MARKET_SECRET", MARKETS);
    const carried = carriedVariables(KINDS);
    expect(describeCarried(carried, { webhook: "to the project", external: "to the project" })).toBe(
      `COMMERCELAYER_WEBHOOK_TOPIC_SECRETS (3 secrets, ${VALUE.length} bytes), COMMERCELAYER_TAX_CALCULATOR_SECRET (1 secret, ${TAX.length} bytes) and COMMERCELAYER_MARKET_SECRET (2 secrets, ${MARKETS.length} bytes) to the project`,
    );
    expect(describeCarried(carried, { webhook: "into the webhook's", external: "into the external one's" })).toBe(
      `COMMERCELAYER_WEBHOOK_TOPIC_SECRETS (3 secrets, ${VALUE.length} bytes) into the webhook's, and COMMERCELAYER_TAX_CALCULATOR_SECRET (1 secret, ${TAX.length} bytes) and COMMERCELAYER_MARKET_SECRET (2 secrets, ${MARKETS.length} bytes) into the external one's`,
    );
    const [, us] = MARKETS.split(",");
    expect(withoutSecrets(`refused ${MARKETS}; then ${us} and ${TAX}`, carried)).toBe("refused ***; then *** and ***");
  });

  it("alone (apply before the first deploy) lead to enable, then to apply for the webhooks", () => {
    vi.stubEnv("COMMERCELAYER_TAX_CALCULATOR_SECRET", TAX);
    vi.stubEnv("COMMERCELAYER_CLIENT_ID", "id");
    vi.stubEnv("COMMERCELAYER_CLIENT_SECRET", "secret");
    expect(carriedVariables(KINDS).map((variable) => variable.name)).toEqual(["COMMERCELAYER_TAX_CALCULATOR_SECRET"]);
    expect(plannedStage(carriedVariables(KINDS))).toBe("apply");
  });

  it("a dry run says what it would carry and the enable it would run, with the deployment's external prefix", () => {
    vi.stubEnv("COMMERCELAYER_TAX_CALCULATOR_SECRET", TAX);
    vi.stubEnv("COMMERCELAYER_CLIENT_ID", "id");
    vi.stubEnv("COMMERCELAYER_CLIENT_SECRET", "secret");
    const said = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      sayPlannedHandOver({
        script: "deploy:vercel",
        carried: carriedVariables(KINDS),
        kinds: KINDS,
        carriesTo: { webhook: "to the project", external: "to the project" },
        envFile: PROJECT_ENV,
        external: externalTarget("vercel", KINDS, undefined, "https://<production-domain>"),
        heldBy: "the project",
      });
      vi.stubEnv("COMMERCELAYER_TAX_CALCULATOR_SECRET", "");
      sayPlannedHandOver({
        script: "deploy:aws",
        carried: carriedVariables(KINDS),
        kinds: KINDS,
        carriesTo: { webhook: "into the webhook's", external: "into the external one's" },
        envFile: PROJECT_ENV,
        external: externalTarget("aws-lambda", KINDS, undefined, "https://<api>"),
      });
      expect(said.mock.calls.map(([line]) => line)).toEqual([
        `deploy:vercel: a deploy would carry COMMERCELAYER_TAX_CALCULATOR_SECRET (1 secret, ${TAX.length} bytes) to the project, deploy, then run \`npm run commercelayer -- enable --external-url https://<production-domain>/api/external\` (COMMERCELAYER_MARKET_SECRET: not here, so the project must hold it already)`,
        "deploy:aws: a deploy would carry no secret: none of COMMERCELAYER_WEBHOOK_TOPIC_SECRETS, COMMERCELAYER_TAX_CALCULATOR_SECRET and COMMERCELAYER_MARKET_SECRET is in .env or this shell (`npm run commercelayer -- apply --url <callback URL>` writes them)",
      ]);
    } finally {
      said.mockRestore();
    }
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
    expect(refusal(NETLIFY_ENVIRONMENT)).toBe(refusal());
    // Vercel's 64 KB per deployment holds them.
    expect(refusal(VERCEL_ENVIRONMENT)).toBeUndefined();
  });

  it("counts bytes, not characters", () => {
    vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", "é".repeat(1800));
    expect(refusal()).toContain("take 3628 bytes");
  });

  it("counts the external kinds' secrets in the external function's own environment on AWS, in every function's on Netlify", () => {
    // 45 webhooks fit alone; with the kinds' secrets beside them, not.
    const value = webhooks(45);
    const markets = Array.from({ length: 12 }, (_, index) => `market-secret-${index}-${"b".repeat(40)}`).join(",");
    vi.stubEnv("COMMERCELAYER_WEBHOOK_TOPIC_SECRETS", value);
    vi.stubEnv("COMMERCELAYER_TAX_CALCULATOR_SECRET", TAX);
    vi.stubEnv("COMMERCELAYER_MARKET_SECRET", markets);
    const webhookBytes = "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS".length + value.length;
    const externalBytes =
      "COMMERCELAYER_TAX_CALCULATOR_SECRET".length + TAX.length + "COMMERCELAYER_MARKET_SECRET".length + markets.length;
    expect(webhookBytes).toBeLessThanOrEqual(3584);
    expect(webhookBytes + externalBytes).toBeGreaterThan(3584);
    // AWS: the webhook functions hold the webhook's, commercelayer-external the kinds': each fits.
    expect(refusal(LAMBDA_ENVIRONMENT, KINDS)).toBeUndefined();
    // Netlify: every function holds every Functions variable.
    expect(refusal(NETLIFY_ENVIRONMENT, KINDS)).toBe(
      `COMMERCELAYER_WEBHOOK_TOPIC_SECRETS, COMMERCELAYER_TAX_CALCULATOR_SECRET and COMMERCELAYER_MARKET_SECRET take ${webhookBytes + externalBytes} bytes, over the 3584 left for them in a function's environment (AWS Lambda allows 4096 bytes for all its variables; 512 are kept for the others): handle fewer topics (name them instead of "*" or "resource.*"), or, for a "*" handler, configure its webhooks by hand with their secrets in COMMERCELAYER_WEBHOOK_SECRET (no topic names: about 45 bytes a webhook); or attach fewer resources to a kind in functions/external-attachments.ts (each adds its shared_secret to its kind's variable)`,
    );
    // A kind not implemented is not deployed: its variable does not count.
    expect(refusal(NETLIFY_ENVIRONMENT, ["tax-calculator"])).toBeUndefined();
    // On AWS, the external function's own environment over the limit.
    const many = Array.from({ length: 70 }, (_, index) => `market-secret-${index}-${"c".repeat(40)}`).join(",");
    vi.stubEnv("COMMERCELAYER_MARKET_SECRET", many);
    expect(refusal(LAMBDA_ENVIRONMENT, KINDS)).toBe(
      `COMMERCELAYER_TAX_CALCULATOR_SECRET and COMMERCELAYER_MARKET_SECRET take ${"COMMERCELAYER_TAX_CALCULATOR_SECRET".length + TAX.length + "COMMERCELAYER_MARKET_SECRET".length + many.length} bytes, over the 3584 left for them in the environment of commercelayer-external (AWS Lambda allows 4096 bytes for all its variables; 512 are kept for the others): attach fewer resources to a kind in functions/external-attachments.ts (each adds its shared_secret to its kind's variable)`,
    );
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

  it("take the deployment's external prefix, derived from where each platform serves the kinds", () => {
    const origin = "https://x.example";
    expect(externalTarget("vercel", KINDS, origin, "<p>")).toEqual({
      prefix: `${origin}/api/external`,
      deployed: true,
    });
    expect(externalTarget("aws-lambda", KINDS, origin, "<p>")?.prefix).toBe(`${origin}/external`);
    expect(externalTarget("netlify", KINDS, undefined, "https://<site>.netlify.app")).toEqual({
      prefix: "https://<site>.netlify.app/external",
      deployed: false,
    });
    expect(externalTarget("netlify", [], origin, "<p>")).toBeUndefined();
    const given: EnvFile = { path: "/abs/prod.env", given: "prod.env", shown: "prod.env" };
    expect(
      commerceLayerCommand("status", given, `${origin}/api/webhooks/commercelayer`, `${origin}/api/external`),
    ).toBe(
      `npm run commercelayer -- status --url ${origin}/api/webhooks/commercelayer --external-url ${origin}/api/external --env-file prod.env`,
    );
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
