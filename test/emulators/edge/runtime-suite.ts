// What every edge runtime suite checks, over HTTP on loopback, of the built edge factory served by one runtime process
// (infra/drive/edge-runtimes.ts) from the one bundled worker (worker-bundle.ts): the whole contract table, the
// body's bytes reaching the handler unchanged, the body limit on a declared and a chunked body, rotation, forgeries,
// and where the secret comes from. Every answer is checked against the receiver's own line on the runtime's stdout.
//
// The runtime gets the secret and a 64 KiB body limit as its environment: process.env on Vercel's edge runtime, Deno
// and Bun, where the factory with no options reads them (the `process` form); the Worker's env on workerd, which has
// no process, where the worker reads them as a Cloudflare user would (the `context` form). A contract case's own
// environment is sent with the request, in the context form (a process's environment is fixed once it runs).
import { createHash, createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EdgeRuntimeName, type RunningEdgeRuntime, startEdgeRuntime } from "../../../infra/drive/edge-runtimes.ts";
import { FIXTURE_LINE } from "../../fixtures/edge-handlers.ts";
import { answerOf, type ContractRequest, contractCases } from "../../support/contract.ts";
import { type SignedDelivery, signedBody, signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";
import { type HttpAnswer, post } from "../../support/http.ts";
import { waitForJsonLine } from "../../support/log-lines.ts";
import { type UploadResult, upload } from "./upload.ts";
import { bundleEdgeWorker, EDGE_FACTORY, type EdgeWorker } from "./worker-bundle.ts";
import { ENV_HEADER, SECRETS_HEADER } from "./worker-headers.ts";

const PATH = "api/webhooks/commercelayer";
const LIMIT = 64 * 1024;
const RUNTIME_ENV = {
  COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET,
  COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: String(LIMIT),
};

type Form = "process" | "context";

interface Delivered<Answer = HttpAnswer> {
  readonly answer: Answer;
  /** The receiver's `commercelayer webhook` line for this request. */
  readonly line: Record<string, unknown>;
  /** The fixture handlers' lines for this request: one per handler that ran. */
  readonly ran: Record<string, unknown>[];
}

const sha256 = (body: Buffer) => createHash("sha256").update(body).digest("hex");

function jsonLines(lines: readonly string[]): Record<string, unknown>[] {
  return lines.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** An orders.place as Rails writes it: floats keep their `.0`, text keeps its accents and emoji (raw UTF-8). */
function rubyDelivery(): SignedDelivery {
  const body =
    '{"data":{"id":"wXyZaBcDeF","type":"orders","attributes":{"number":"4512","total_amount_float":153.0,' +
    '"discount_amount_float":-0.0,"customer_email":"zoë.müller@example.com","notes":"Crème brûlée 🍮, 日本へ ✈️",' +
    '"metadata":{"gift":"🎁 für Jürgen"}},"meta":{"mode":"test"}}}';
  return signedBody("orders.place", body);
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** A SHA-256 signature spelled with the 2 spare bits of its 43rd character set: atob reads the same 32 bytes. */
function withUnusedBitsSet(signature: string): string {
  const last = BASE64[BASE64.indexOf(signature.charAt(42)) | 3] ?? "";
  return `${signature.slice(0, 42)}${last}=`;
}

/** A signed orders.place padded with trailing spaces (still JSON) to exactly `size` bytes. */
function deliveryOfSize(size: number): SignedDelivery {
  const body = signedDelivery("orders.place").body;
  if (body.length > size) throw new Error(`the sample is already ${body.length} bytes`);
  return signedBody("orders.place", Buffer.concat([body, Buffer.alloc(size - body.length, " ")]));
}

export function describeEdgeRuntime(name: EdgeRuntimeName): void {
  const hasProcess = name !== "workerd";
  const defaultForm: Form = hasProcess ? "process" : "context";
  let worker: EdgeWorker;
  let runtime: RunningEdgeRuntime;

  beforeAll(async () => {
    worker = await bundleEdgeWorker();
    const started = performance.now();
    runtime = await startEdgeRuntime(name, worker.path, { env: RUNTIME_ENV });
    console.log(`${name} listening at ${runtime.url} after ${Math.round(performance.now() - started)} ms`);
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  const testHeaders = (form: Form, env: Record<string, string> | undefined) => ({
    [SECRETS_HEADER]: form,
    ...(env === undefined ? {} : { [ENV_HEADER]: JSON.stringify(env) }),
  });

  /** Sends one request and reads what the runtime printed for it (requests are sent one at a time). */
  async function deliver<Answer>(send: (url: string) => Promise<Answer>): Promise<Delivered<Answer>> {
    const before = runtime.lines().length;
    const answer = await send(new URL(PATH, runtime.url).href);
    const since = () => runtime.lines().slice(before);
    const line = await waitForJsonLine(
      () => since().join("\n"),
      (entry) => entry.msg === "commercelayer webhook",
    );
    // The handlers log before the receiver's line, on the same stream: they are all there by now.
    return { answer, line, ran: jsonLines(since()).filter((entry) => entry.msg === FIXTURE_LINE) };
  }

  /** A contract request, or a signed delivery (POSTed). */
  const send = (request: SignedDelivery | ContractRequest, form: Form = defaultForm, env?: Record<string, string>) =>
    deliver((url) =>
      post(
        url,
        { ...request.headers, ...testHeaders(form, env) },
        request.body,
        "method" in request ? request.method : "POST",
      ),
    );

  const sendInPieces = (delivery: SignedDelivery, chunkSize: number, declared = false) =>
    deliver((url) =>
      upload(url, {
        headers: { ...delivery.headers, ...testHeaders(defaultForm, undefined) },
        body: delivery.body,
        chunkSize,
        declared,
      }),
    );

  /** An upload read to its end must have been answered. */
  const answered = ({ answer, ...rest }: Delivered<UploadResult>): Delivered => {
    if ("closed" in answer) throw new Error(`the connection was closed (${answer.closed}) before an answer`);
    return { ...rest, answer: answer.answer };
  };

  const expectAnswer = ({ answer, line }: Delivered, status: number, outcome: string) => {
    expect(answer.status, answer.body).toBe(status);
    expect(answerOf(answer.body)).toBe(outcome);
    expect(line).toMatchObject({ platform: "edge", status });
  };

  const expectRanOnce = ({ ran }: Delivered, body: Buffer) => {
    expect(ran).toHaveLength(1);
    expect(ran[0]?.body).toBe(sha256(body));
  };

  describe(`the built edge factory on ${name}`, () => {
    it("serves one bundle of the built factory file and the edge handlers, no source of the product", () => {
      expect(worker.inputs).toContain(`$COMMERCELAYER_TEST_BUILD/${EDGE_FACTORY}`);
      expect(worker.inputs.filter((input) => input.startsWith("shared/"))).toEqual([]);
    });

    describe("the contract table", () => {
      it.each(contractCases().map((c) => [c.name, c] as const))("%s", async (_name, contractCase) => {
        const delivered = await send(
          contractCase.request,
          contractCase.env === undefined ? defaultForm : "context",
          contractCase.env,
        );
        expectAnswer(delivered, contractCase.status, contractCase.answer);
        if (contractCase.answer === "handled") expectRanOnce(delivered, contractCase.request.body);
        else if (contractCase.answer !== "handler_failed") expect(delivered.ran).toEqual([]);
      });
    });

    describe("the body's bytes", () => {
      it("reach the handler as sent: Ruby's 153.0, accents and emoji, whole and in 5-byte chunks", async () => {
        const delivery = rubyDelivery();
        expect(delivery.body.toString("utf8")).toContain('"total_amount_float":153.0,');
        for (const delivered of [await send(delivery), answered(await sendInPieces(delivery, 5))]) {
          expectAnswer(delivered, 200, "handled");
          expectRanOnce(delivered, delivery.body);
        }
      });

      it("signed but not UTF-8: 400 invalid_payload, nothing runs", async () => {
        const body = Buffer.concat([
          Buffer.from('{"data":{"id":"wXyZaBcDeF","type":"orders","attributes":{"number":"'),
          Buffer.from([0xff, 0xfe, 0xc3]),
          Buffer.from('"}}}'),
        ]);
        const delivered = await send(signedBody("orders.place", body));
        expectAnswer(delivered, 400, "invalid_payload");
        expect(delivered.line).toMatchObject({ hint: "the body is not valid UTF-8" });
        expect(delivered.ran).toEqual([]);
      });
    });

    describe(`the body limit (${LIMIT} bytes, from ${hasProcess ? "process.env" : "the Worker's env"})`, () => {
      it("a body of exactly the limit is handled, declared and chunked", async () => {
        const delivery = deliveryOfSize(LIMIT);
        for (const delivered of [await send(delivery), answered(await sendInPieces(delivery, 16 * 1024))]) {
          expectAnswer(delivered, 200, "handled");
          expectRanOnce(delivered, delivery.body);
        }
      });

      it("one byte over, declared and sent in one write: 413 body_too_large", async () => {
        const delivered = await send(deliveryOfSize(LIMIT + 1));
        expectAnswer(delivered, 413, "body_too_large");
        expect(delivered.ran).toEqual([]);
      });

      // Answered before the body has all arrived, so the runtime may close the connection on the unread rest instead
      // of letting the answer be read (workerd and Bun sometimes do): the receiver's line says what it answered.
      it.each([
        ["one byte over, declared, in 16 KiB writes", LIMIT + 1, true],
        ["one byte over, chunked", LIMIT + 1, false],
        ["1 MiB, declared, in 16 KiB writes", 1024 * 1024, true],
        ["1 MiB, chunked", 1024 * 1024, false],
      ] as const)("%s: refused, 413 body_too_large, without waiting for the rest", async (_name, size, declared) => {
        const delivered = await sendInPieces(deliveryOfSize(size), 16 * 1024, declared);
        expect(delivered.line).toMatchObject({ platform: "edge", status: 413, reason: "body_too_large" });
        expect(delivered.ran).toEqual([]);
        if ("answer" in delivered.answer) {
          expect(delivered.answer.answer.status).toBe(413);
          expect(answerOf(delivered.answer.answer.body)).toBe("body_too_large");
        } else {
          expect(["EPIPE", "ECONNRESET"]).toContain(delivered.answer.closed);
        }
      });
    });

    describe("signatures", () => {
      const place = signedDelivery("orders.place");

      it("rotation: with two secrets configured, a delivery signed with either is handled", async () => {
        const env = { COMMERCELAYER_WEBHOOK_SECRET: "old-secret,new-secret" };
        for (const secret of ["old-secret", "new-secret"]) {
          const delivered = await send(signedBody("orders.place", place.body, secret), "context", env);
          expectAnswer(delivered, 200, "handled");
          expectRanOnce(delivered, place.body);
        }
        expectAnswer(await send(place, "context", env), 401, "invalid_signature");
      });

      it("forgeries are 401 invalid_signature and run nothing", async () => {
        const right = place.headers["x-commercelayer-signature"] ?? "";
        const forgeries = {
          "another secret": signedBody("orders.place", place.body, "guessed-secret").headers,
          "another delivery's signature": signedDelivery("orders.place", { seed: 2 }).headers,
          "the right HMAC, in hex": createHmac("sha256", TEST_SECRET).update(place.body).digest("hex"),
          "the right one, its last character's unused bits set": withUnusedBitsSet(right),
          truncated: right.slice(0, -4),
          "not base64": "!!!!not-base64!!!!",
          "the empty body's": signedBody("orders.place", "").headers,
        };
        for (const [forgery, value] of Object.entries(forgeries)) {
          const signature = typeof value === "string" ? value : (value["x-commercelayer-signature"] ?? "");
          const delivered = await send({
            ...place,
            method: "POST",
            headers: { ...place.headers, "x-commercelayer-signature": signature },
          });
          expect(delivered.answer.status, forgery).toBe(401);
          expect(answerOf(delivered.answer.body), forgery).toBe("invalid_signature");
          expect(delivered.ran, forgery).toEqual([]);
        }
      });

      if (hasProcess) {
        it("come from process.env with no options, or from the Worker's env through the secrets option", async () => {
          expectAnswer(await send(place, "process"), 200, "handled");
          const env = { COMMERCELAYER_WEBHOOK_SECRET: "the-worker-env-secret" };
          expectAnswer(await send(place, "context", env), 401, "invalid_signature");
          const signed = signedBody("orders.place", place.body, "the-worker-env-secret");
          expectAnswer(await send(signed, "context", env), 200, "handled");
        });
      } else {
        it("come from the Worker's env; with no secrets option there is no process to read: 500, closed", async () => {
          expectAnswer(await send(place, "context"), 200, "handled");
          const delivered = await send(place, "process");
          expectAnswer(delivered, 500, "no_secret_configured");
          expect(delivered.line).toMatchObject({ reason: "no_secret_configured" });
          expect(delivered.ran).toEqual([]);
        });
      }
    });
  });
}
