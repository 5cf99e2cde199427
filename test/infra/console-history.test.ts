// The local console's history (infra/local/console/history.ts) and what it shows of an entry: bounded by count and
// by bytes with the oldest dropped first, bodies at the receiver's size limit kept whole, bodies that are not UTF-8
// shown as binary, JSON re-indented token for token, and no secret in anything its API sends.
import { describe, expect, it } from "vitest";
import { bodyView, reindentJson } from "../../infra/local/console/body-view.ts";
import { detailOf } from "../../infra/local/console/detail.ts";
import { summaryOf } from "../../infra/local/console/entry.ts";
import { type Arrival, createHistory, HISTORY_LIMITS, type HistoryChange } from "../../infra/local/console/history.ts";
import { HIDDEN, scrubbedJson, secretsInForce } from "../../infra/local/console/secrets.ts";
import { DEV_SECRET } from "../../infra/local/dev-secret.ts";
import { DEFAULT_MAX_BODY_BYTES } from "../../shared/core/env.ts";
import { signPayload } from "../../shared/node/signature.ts";

function arrival(body: Buffer | string, extra: Partial<Arrival> = {}): Arrival {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const signature = signPayload(bytes, DEV_SECRET);
  return {
    method: "POST",
    target: "/vercel/api/webhooks/commercelayer",
    path: "/vercel/api/webhooks/commercelayer",
    platform: "vercel",
    kind: "webhook",
    subject: "orders.place",
    rawHeaders: ["content-type", "application/json", "x-commercelayer-signature", signature],
    signature,
    body: bytes,
    origin: "sender",
    replayOf: undefined,
    ...extra,
  };
}

const receiverLine = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: "info", msg: "commercelayer webhook", ...fields });

describe("the console's history", () => {
  it("keeps the newest entries up to its count, dropping the oldest first and saying so", () => {
    const history = createHistory({ ...HISTORY_LIMITS, entries: 3 });
    const changes: HistoryChange[] = [];
    history.subscribe((change) => changes.push(change));
    for (let n = 1; n <= 5; n++) history.received(arrival(`{"n":${n}}`));
    expect(history.list().map((entry) => entry.id)).toEqual([5, 4, 3]);
    expect(changes.filter((change) => change.type === "dropped")).toEqual([
      { type: "dropped", id: 1 },
      { type: "dropped", id: 2 },
    ]);
    expect(history.get(1)).toBeUndefined();
  });

  it("keeps bodies at the receiver's size limit whole, and bounds the bytes it holds", () => {
    const history = createHistory();
    const atLimit = Buffer.alloc(DEFAULT_MAX_BODY_BYTES, "a");
    for (let n = 0; n < 20; n++) history.received(arrival(atLimit));
    const kept = history.list();
    expect(history.bytes()).toBeLessThanOrEqual(HISTORY_LIMITS.totalBytes);
    expect(kept.length).toBe(Math.floor(HISTORY_LIMITS.totalBytes / (DEFAULT_MAX_BODY_BYTES + 200)));
    expect(kept[0]?.id).toBe(20);
    const newest = history.get(20);
    expect(newest?.body.length).toBe(DEFAULT_MAX_BODY_BYTES);
    const detail = detailOf(newest as NonNullable<typeof newest>, kept[0] as NonNullable<(typeof kept)[0]>, ["vercel"]);
    expect(detail.replayTo).toEqual(["vercel"]);
    expect(detail.body).toMatchObject({ encoding: "text", bytes: DEFAULT_MAX_BODY_BYTES, clipped: 256 * 1024 });
    expect(detail.body.shown.length).toBe(256 * 1024);
  });

  it("keeps the first bytes of a body over its own limit, says so, and offers no replay of it", () => {
    const history = createHistory({ ...HISTORY_LIMITS, bodyBytes: 1000 });
    const entry = history.received(arrival(Buffer.alloc(5000, "{")));
    expect(entry.body.length).toBe(1000);
    const detail = detailOf(entry, summaryOf(entry), ["vercel", "netlify"]);
    expect(detail.body).toMatchObject({ bytes: 5000, stored: 1000, encoding: "text" });
    expect(detail.replayTo).toEqual([]);
    expect(summaryOf(entry).bytes).toBe(5000);
  });

  it("bounds the log lines of one entry, and the length of each", () => {
    const history = createHistory({ ...HISTORY_LIMITS, linesPerEntry: 3, lineChars: 10 });
    const { id } = history.received(arrival("{}"));
    for (let n = 0; n < 5; n++)
      history.logged(id, { text: `line ${n} ${"x".repeat(20)}`, stream: "log", deferred: false });
    const entry = history.get(id);
    expect(entry?.logs.map((line) => line.text)).toEqual([
      "line 0 xxx… (clipped)",
      "line 1 xxx… (clipped)",
      "line 2 xxx… (clipped)",
    ]);
    expect(entry?.droppedLines).toBe(2);
  });

  it("summarises an entry from the receiving bundle's line, and its deferred run from the worker's", () => {
    const history = createHistory();
    const { id } = history.received(arrival("{}", { platform: "aws-lambda" }));
    history.logged(id, {
      text: receiverLine({ platform: "aws-lambda", outcome: "at_risk", ms: 4000 }),
      stream: "log",
      deferred: false,
    });
    history.logged(id, {
      text: receiverLine({
        platform: "aws-lambda",
        outcome: "handled",
        status: 200,
        ms: 4100.5,
        id: "wZeDdSamqn",
        topic: "orders.place",
      }),
      stream: "log",
      deferred: false,
    });
    history.logged(id, {
      text: receiverLine({ platform: "aws-lambda-worker", outcome: "failed", reason: "handler_failed", status: 500 }),
      stream: "error",
      deferred: true,
    });
    history.answered(
      id,
      { status: 200, headers: {}, body: Buffer.from('{"received":true,"outcome":"handled"}') },
      4101,
    );
    expect(history.list()[0]).toMatchObject({
      outcome: "handled",
      status: 200,
      ms: 4100.5,
      resourceId: "wZeDdSamqn",
      subject: "orders.place",
      deferred: { platform: "aws-lambda-worker", outcome: "failed", reason: "handler_failed" },
      lines: 3,
    });
  });

  it("summarises an answer no receiver line describes from its status and body", () => {
    const history = createHistory();
    const rejected = history.received(arrival("{}"));
    history.answered(rejected.id, { status: 401, headers: {}, body: Buffer.from('{"error":"invalid_signature"}') }, 1);
    const refused = history.received(arrival("{}", { method: "GET" }));
    history.answered(refused.id, { status: 405, headers: { allow: "POST" }, body: Buffer.alloc(0) }, 1);
    const crashed = history.received(arrival("{}"));
    history.crashed(crashed.id, 1);
    const [third, second, first] = history.list();
    expect(first).toMatchObject({ outcome: "rejected", reason: "invalid_signature", status: 401 });
    expect(second).toMatchObject({ outcome: "rejected", status: 405 });
    expect(third).toMatchObject({ outcome: "failed", reason: "local_receiver_error" });
  });

  it("finds the entry a deferred run belongs to by platform and signature: the newest that has had no run yet", () => {
    const history = createHistory();
    const body = '{"data":{"type":"orders"}}';
    const first = history.received(arrival(body, { platform: "aws-lambda" }));
    const elsewhere = history.received(arrival(body, { platform: "netlify" }));
    const replay = history.received(arrival(body, { platform: "aws-lambda" }));
    const other = history.received(arrival('{"other":true}', { platform: "aws-lambda" }));
    const signature = first.signature;
    expect(history.deferredOwner("aws-lambda", signature)).toBe(replay.id);
    expect(history.deferredOwner("aws-lambda", signature)).toBe(first.id);
    // A run SQS delivers again goes to the newest.
    expect(history.deferredOwner("aws-lambda", signature)).toBe(replay.id);
    expect(history.deferredOwner("netlify", signature)).toBe(elsewhere.id);
    expect(history.deferredOwner("aws-lambda", other.signature)).toBe(other.id);
    expect(history.deferredOwner("aws-lambda", "no such signature")).toBeUndefined();
    expect(history.deferredOwner("aws-lambda", undefined)).toBeUndefined();
  });

  it("gives no deferred run to an entry that cannot have handed one off (rejected, ignored, duplicate)", () => {
    const history = createHistory();
    const body = "{}";
    const handled = history.received(arrival(body));
    const duplicate = history.received(arrival(body));
    history.logged(duplicate.id, {
      text: receiverLine({ platform: "vercel", outcome: "duplicate", status: 200 }),
      stream: "log",
      deferred: false,
    });
    expect(history.deferredOwner("vercel", handled.signature)).toBe(handled.id);
  });
});

describe("what the console shows of a body", () => {
  it("re-indents JSON without changing a token: Ruby-style floats, escapes and key order stay", () => {
    const text = '{"amount_float":153.0,"note":"a \\"quoted\\", {braced} [text]","list":[],"empty":{},"n":[1,2e3]}';
    const pretty = reindentJson(text);
    expect(pretty).toContain('"amount_float": 153.0');
    expect(pretty).toContain('"note": "a \\"quoted\\", {braced} [text]"');
    expect(pretty).toContain('"list": []');
    expect(pretty).toContain('"empty": {}');
    expect(pretty.replace(/\s+(?=(?:[^"\\]|\\.|"(?:[^"\\]|\\.)*")*$)/g, "")).toBe(text);
    expect(JSON.parse(pretty)).toEqual(JSON.parse(text));
    expect(bodyView(Buffer.from(text))).toMatchObject({ encoding: "json", shown: pretty });
  });

  it("shows bytes that are not UTF-8 as binary, in hex, and keeps them exact", () => {
    const invalid = Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0x00, 0x41]);
    const view = bodyView(invalid);
    expect(view.encoding).toBe("binary");
    expect(view.shown).toBe(`00000000  ${"7b 22 c3 28 ff 00 41".padEnd(47)}  |{".(..A|`);
    const history = createHistory();
    const entry = history.received(arrival(invalid));
    expect(entry.body.equals(invalid)).toBe(true);
    expect(bodyView(Buffer.alloc(4096, 0xff))).toMatchObject({ encoding: "binary", clipped: 1024 });
  });

  it("shows UTF-8 text that is not JSON as text, an empty body as empty, a NUL as binary", () => {
    expect(bodyView(Buffer.from("plain ünïcode text"))).toMatchObject({
      encoding: "text",
      shown: "plain ünïcode text",
    });
    expect(bodyView(Buffer.alloc(0))).toMatchObject({ encoding: "empty", bytes: 0 });
    expect(bodyView(Buffer.from("a\u0000b")).encoding).toBe("binary");
  });
});

describe("no secret in what the console's API sends", () => {
  const env = {
    COMMERCELAYER_WEBHOOK_SECRET: `${DEV_SECRET}, second-secret-of-the-list`,
    COMMERCELAYER_PROMOTION_SECRET: 'quote"d\\secret',
  };

  it("hides every secret in force, the JSON-escaped ones too, and shortens the signature", () => {
    const secrets = secretsInForce(env);
    expect(secrets).toEqual([DEV_SECRET, "second-secret-of-the-list", 'quote"d\\secret']);
    const history = createHistory();
    const body = '{"data":{"id":"x"}}';
    const entry = history.received(
      arrival(body, {
        rawHeaders: [
          "x-commercelayer-signature",
          signPayload(Buffer.from(body), DEV_SECRET),
          "Authorization",
          "Bearer a-token-value",
          "x-note",
          `echoed ${DEV_SECRET}`,
        ],
      }),
    );
    history.logged(entry.id, {
      text: `a handler logged second-secret-of-the-list and ${'quote"d\\secret'}`,
      stream: "log",
      deferred: false,
    });
    history.answered(
      entry.id,
      { status: 200, headers: { "x-echo": DEV_SECRET }, body: Buffer.from(`{"echo":"${DEV_SECRET}"}`) },
      1,
    );
    const sent =
      scrubbedJson(detailOf(entry, summaryOf(entry), ["vercel"]), secrets) + scrubbedJson(history.list(), secrets);
    for (const secret of [DEV_SECRET, "second-secret-of-the-list", JSON.stringify('quote"d\\secret').slice(1, -1)])
      expect(sent).not.toContain(secret);
    expect(sent).toContain(HIDDEN);
    expect(sent).not.toContain(signPayload(Buffer.from(body), DEV_SECRET));
    expect(sent).toContain(`${signPayload(Buffer.from(body), DEV_SECRET).slice(0, 8)}…`);
    expect(sent).not.toContain("a-token-value");
    expect(sent).toContain("[hidden: 20 characters]");
    // The history itself keeps what arrived whole: Replay sends it again.
    expect(entry.rawHeaders).toContain("Bearer a-token-value");
  });
});
