// The built AWS Lambda bundle, called with every HTTP event shape Lambda delivers, base64 or not.
import type { ALBResult, APIGatewayProxyResult } from "aws-lambda";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { LAMBDA_SHAPES, lambdaEvent } from "../../../infra/drive/lambda-events.ts";
import { importBundle } from "../../support/bundles.ts";
import { answerOf, contractCases, withHeaderCase } from "../../support/contract.ts";
import { signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";

type LambdaResult = APIGatewayProxyResult & Partial<Pick<ALBResult, "statusDescription" | "multiValueHeaders">>;
type Handler = (event: unknown, context?: unknown) => Promise<LambdaResult>;

let handler: Handler;
const logs: string[] = [];

beforeAll(async () => {
  ({ handler } = await importBundle<{ handler: Handler }>("dist/aws-lambda/commercelayer-webhook.mjs"));
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  logs.length = 0;
});

function captureLogs(): void {
  vi.spyOn(console, "log").mockImplementation((line: string) => void logs.push(line));
}

function stubEnv(env: Record<string, string> = {}): void {
  vi.stubEnv("COMMERCELAYER_WEBHOOK_SECRET", TEST_SECRET);
  vi.stubEnv("COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES", "");
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

describe.each(LAMBDA_SHAPES)("%s event", (shape) => {
  describe.each([false, true])("isBase64Encoded %s", (base64) => {
    it.each(contractCases().map((c) => [c.name, c] as const))("%s", async (_name, contractCase) => {
      stubEnv(contractCase.env);
      captureLogs();
      const result = await handler(lambdaEvent(shape, contractCase.request, base64), {});
      expect(result.statusCode).toBe(contractCase.status);
      expect(answerOf(result.body)).toBe(contractCase.answer);
      expect(result.isBase64Encoded).toBe(false);
      const headers =
        result.headers ??
        Object.fromEntries(Object.entries(result.multiValueHeaders ?? {}).map(([k, v]) => [k, String(v[0])]));
      expect(headers["content-type"]).toMatch(/^application\/json/);
      if (contractCase.status === 405) expect(headers.allow).toBe("POST");
      if (shape.startsWith("alb")) {
        expect(result.statusDescription).toMatch(new RegExp(`^${contractCase.status} [A-Z]`));
        // ALB wants headers back in the style it sent them.
        expect(shape === "alb-multi-value" ? result.multiValueHeaders : result.headers).toBeDefined();
        expect(shape === "alb-multi-value" ? result.headers : result.multiValueHeaders).toBeUndefined();
      }
      const delivery = logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === "commercelayer webhook");
      expect(delivery).toMatchObject({ platform: "aws-lambda", status: contractCase.status });
    });
  });
});

describe("header handling per shape", () => {
  const place = signedDelivery("orders.place");
  const request = { method: "POST", headers: place.headers, body: place.body };

  it.each(["lower", "upper", "title"] as const)("REST v1 accepts %s-case header names", async (style) => {
    stubEnv();
    captureLogs();
    const event = lambdaEvent("rest-v1", { ...request, headers: withHeaderCase(place.headers, style) }, false);
    expect((await handler(event)).statusCode).toBe(200);
  });

  it("REST v1 finds the signature when it is only in multiValueHeaders", async () => {
    stubEnv();
    captureLogs();
    const event = lambdaEvent("rest-v1", request, false) as { headers: Record<string, string> };
    delete event.headers["x-commercelayer-signature"];
    expect((await handler(event)).statusCode).toBe(200);
  });

  it("REST v1 refuses a signature header sent twice (multiValueHeaders holds both)", async () => {
    stubEnv();
    captureLogs();
    const event = lambdaEvent("rest-v1", request, false) as { multiValueHeaders: Record<string, string[]> };
    const signature = place.headers["x-commercelayer-signature"] ?? "";
    event.multiValueHeaders["x-commercelayer-signature"] = [signature, signature];
    const result = await handler(event);
    expect(result.statusCode).toBe(401);
    expect(answerOf(result.body)).toBe("duplicate_signature_header");
  });

  it("HTTP API v2 refuses comma-joined duplicate signature headers", async () => {
    stubEnv();
    captureLogs();
    const signature = place.headers["x-commercelayer-signature"] ?? "";
    const event = lambdaEvent(
      "http-api-v2",
      { ...request, headers: { ...place.headers, "x-commercelayer-signature": `${signature},${signature}` } },
      false,
    );
    expect((await handler(event)).statusCode).toBe(401);
  });

  it("HTTP API v2 accepts comma-joined duplicates of headers that do not matter", async () => {
    stubEnv();
    captureLogs();
    const event = lambdaEvent("http-api-v2", { ...request, headers: { ...place.headers, accept: "a/b,c/d" } }, true);
    expect((await handler(event)).statusCode).toBe(200);
  });
});

describe("bodies", () => {
  it("decodes base64 to the exact bytes: non-ASCII, emoji and Ruby-style floats verify", async () => {
    stubEnv();
    captureLogs();
    const delivery = signedDelivery("orders.place");
    expect(delivery.body.toString()).toMatch(/🛒/);
    expect(delivery.body.toString()).toMatch(/_float":\d+\.0/);
    for (const base64 of [true, false]) {
      const result = await handler(
        lambdaEvent("http-api-v2", { method: "POST", headers: delivery.headers, body: delivery.body }, base64),
      );
      expect(result.statusCode).toBe(200);
    }
  });

  it("treats a null body as empty: a signed empty body is not a document (400), an unsigned one is refused (401)", async () => {
    stubEnv();
    captureLogs();
    const empty = signedDelivery("orders.place");
    const event = lambdaEvent("rest-v1", { method: "POST", headers: empty.headers, body: Buffer.alloc(0) }, false);
    expect((event as { body: unknown }).body).toBeNull();
    expect((await handler(event)).statusCode).toBe(401);
  });

  it("a base64 flag that lies fails verification instead of crashing", async () => {
    stubEnv();
    captureLogs();
    const delivery = signedDelivery("orders.place");
    const event = lambdaEvent("http-api-v2", { method: "POST", headers: delivery.headers, body: delivery.body }, false);
    (event as { isBase64Encoded: boolean }).isBase64Encoded = true;
    expect((await handler(event)).statusCode).toBe(401);
  });
});

describe("events that are not HTTP events", () => {
  it.each([
    ["an SQS batch", { Records: [{ eventSource: "aws:sqs", body: "{}" }] }],
    ["a scheduled event", { source: "aws.events", "detail-type": "Scheduled Event" }],
    ["a direct invoke with a string", "hello"],
    ["null", null],
  ])("%s gets a clear 400 and one log line, not a crash", async (_name, event) => {
    stubEnv();
    captureLogs();
    const result = await handler(event);
    expect(result.statusCode).toBe(400);
    expect(answerOf(result.body)).toBe("not_an_http_event");
    expect(JSON.parse(logs[0] ?? "{}")).toMatchObject({ outcome: "rejected", reason: "not_an_http_event" });
  });
});
