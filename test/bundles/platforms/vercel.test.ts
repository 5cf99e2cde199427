// The built Vercel bundles: the Web `POST(request)` file called as Vercel and Next.js call it, and the Node
// `(req, res)` flavour on a real HTTP server, with and without @vercel/node's own body helpers.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBundleEnvironment } from "../../support/bundle-env.ts";
import { fixtureBundlePath, importBundle, ROOT } from "../../support/bundles.ts";
import { answerOf, contractCases } from "../../support/contract.ts";
import { signedBody, signedDelivery, TEST_SECRET } from "../../support/deliveries.ts";
import { listenOnLoopback, post, sendInChunks, startProcess } from "../../support/http.ts";

type WebHandler = (request: Request) => Promise<Response>;
type NodeHandler = (req: IncomingMessage, res: import("node:http").ServerResponse) => Promise<void>;

const URL_PATH = "https://example.vercel.app/api/webhooks/commercelayer";
let webBundle: Record<string, unknown>;
let nodeBundle: { default: NodeHandler; config: unknown };
const { logs, setUp } = useBundleEnvironment();

beforeAll(async () => {
  webBundle = await importBundle("dist/vercel/commercelayer-webhook.mjs");
  nodeBundle = await importBundle("dist/vercel/commercelayer-webhook-node.mjs");
});

const deliveryLog = () => logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === "commercelayer webhook");

describe("dist/vercel/commercelayer-webhook.mjs (Web handler, App Router route file)", () => {
  it("exports POST and nothing a route file may not export", () => {
    expect(Object.keys(webBundle)).toEqual(["POST"]);
  });

  it.each(contractCases().map((c) => [c.name, c] as const))("%s", async (_name, contractCase) => {
    setUp(contractCase.env);
    const { method, headers, body } = contractCase.request;
    const request = new Request(URL_PATH, {
      method,
      headers,
      ...(method === "GET" ? {} : { body: new Uint8Array(body) }),
    });
    const response = await (webBundle.POST as WebHandler)(request);
    expect(response.status).toBe(contractCase.status);
    expect(answerOf(await response.text())).toBe(contractCase.answer);
    if (contractCase.status === 405) expect(response.headers.get("allow")).toBe("POST");
    expect(deliveryLog()).toMatchObject({ platform: "vercel", status: contractCase.status });
  });

  it("verifies a large body (4 MB) byte for byte", async () => {
    setUp();
    const filler = "Città 🛒 ".repeat(400_000);
    const body = `{"data":{"id":"bigOrder01","type":"orders","attributes":{"note":"${filler}","total_amount_float":153.0},"relationships":null}}`;
    const delivery = signedBody("orders.cancel", body);
    expect(delivery.body.length).toBeGreaterThan(4_000_000);
    const response = await (webBundle.POST as WebHandler)(
      new Request(URL_PATH, { method: "POST", headers: delivery.headers, body: new Uint8Array(delivery.body) }),
    );
    expect(response.status).toBe(200);
  });

  it("stops reading a streamed body of unknown length once it passes the limit (413)", async () => {
    setUp({ COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: "65536" });
    const delivery = signedDelivery("orders.place");
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 16_384;
        controller.enqueue(new Uint8Array(16_384).fill(0x20));
        if (pulled > 10_000_000) controller.close();
      },
    });
    const request = new Request(URL_PATH, {
      method: "POST",
      headers: delivery.headers,
      body: stream,
      duplex: "half",
    } as RequestInit);
    const response = await (webBundle.POST as WebHandler)(request);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(200_000);
  });

  it("refuses a declared Content-Length over the limit without reading the body", async () => {
    setUp({ COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: "100" });
    const delivery = signedDelivery("orders.place");
    const request = new Request(URL_PATH, {
      method: "POST",
      headers: { ...delivery.headers, "content-length": String(delivery.body.length) },
      body: new Uint8Array(delivery.body),
    });
    const response = await (webBundle.POST as WebHandler)(request);
    expect(response.status).toBe(413);
    expect(request.bodyUsed).toBe(false);
  });
});

describe("dist/vercel/commercelayer-webhook-node.mjs on a plain Node server", () => {
  let url: string;
  let close: () => void;

  beforeAll(async () => {
    const started = await listenOnLoopback((req, res) => nodeBundle.default(req, res));
    url = started.url;
    close = () => started.server.close();
  });
  afterAll(() => close());

  it("exports the Next.js pages-router body-parser switch", () => {
    expect(nodeBundle.config).toEqual({ api: { bodyParser: false } });
  });

  it.each(contractCases().map((c) => [c.name, c] as const))("%s", async (_name, contractCase) => {
    setUp(contractCase.env);
    const { method, headers, body } = contractCase.request;
    const answer = await post(url, headers, body, method);
    expect(answer.status).toBe(contractCase.status);
    expect(answerOf(answer.body)).toBe(contractCase.answer);
  });

  it.each([1, 3, 7, 64])(
    "reassembles a body sent %i bytes at a time, multi-byte characters split across chunks",
    async (chunkSize) => {
      setUp();
      const delivery = signedDelivery("customers.create");
      expect(delivery.body.toString()).toMatch(/[\u0080-\u{10FFFF}]/u);
      const answer = await sendInChunks(`${url}/`, { headers: delivery.headers, body: delivery.body, chunkSize });
      expect(answer.status).toBe(200);
      expect(answerOf(answer.body)).toBe("handled");
    },
  );

  it("answers 413 for a streamed body over the limit and drops the connection instead of reading on", async () => {
    setUp({ COMMERCELAYER_WEBHOOK_MAX_BODY_BYTES: "4096" });
    const delivery = signedDelivery("orders.place");
    const answer = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = httpRequest(`${url}/`, { method: "POST", headers: delivery.headers }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, sent }));
      });
      req.on("error", (error) => (sent > 0 ? resolve({ status: -1, sent }) : reject(error)));
      const writeMore = () => {
        if (sent > 50_000_000 || req.destroyed) return req.end();
        sent += 65_536;
        if (req.write(Buffer.alloc(65_536, 0x20))) setImmediate(writeMore);
        else req.once("drain", writeMore);
      };
      writeMore();
    });
    expect(answer.status).toBe(413);
    expect(answer.sent).toBeLessThan(50_000_000);
  });

  it("uses bytes a framework kept (express.raw, req.rawBody) and explains, with 500, a body already parsed", async () => {
    setUp();
    const delivery = signedDelivery("orders.place");
    const prepared = await listenOnLoopback(async (req, res) => {
      // Drain the stream as a body parser would, then leave what a framework leaves behind.
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const raw = Buffer.concat(chunks);
      const mode = req.url ?? "";
      if (mode.includes("buffer")) Object.assign(req, { body: raw });
      if (mode.includes("rawbody")) Object.assign(req, { body: JSON.parse(raw.toString()), rawBody: raw });
      if (mode.includes("parsed")) Object.assign(req, { body: JSON.parse(raw.toString()) });
      await nodeBundle.default(req, res);
    });
    try {
      expect((await post(`${prepared.url}/buffer`, delivery.headers, delivery.body)).status).toBe(200);
      expect((await post(`${prepared.url}/rawbody`, delivery.headers, delivery.body)).status).toBe(200);
      const lost = await post(`${prepared.url}/parsed`, delivery.headers, delivery.body);
      expect(lost.status).toBe(500);
      expect(answerOf(lost.body)).toBe("body_already_parsed");
      const line = logs.map((text) => JSON.parse(text)).find((entry) => entry.reason === "body_already_parsed");
      expect(line.hint).toContain("bodyParser: false");
      expect(line.hint).toContain("express.raw");
      expect(JSON.stringify(logs)).not.toContain(TEST_SECRET);
    } finally {
      prepared.server.close();
    }
  });
});

describe("under @vercel/node's own runtime (the dev server Vercel CLI runs), helpers on and off", () => {
  const servers: { url: string; stop: () => Promise<void> }[] = [];

  async function serve(entrypoint: string, helpers: boolean): Promise<string> {
    const started = await startProcess(process.execPath, [`${ROOT}node_modules/@vercel/node/dist/dev-server.mjs`], {
      cwd: ROOT,
      env: {
        ...process.env,
        COMMERCELAYER_WEBHOOK_SECRET: TEST_SECRET,
        // Relative to the cwd, as Vercel CLI passes it: the fixture build's bundle, not the user's dist/.
        VERCEL_DEV_ENTRYPOINT: relative(ROOT, fixtureBundlePath(entrypoint)),
        VERCEL_DEV_CONFIG: JSON.stringify(helpers ? {} : { helpers: false }),
      },
      ready: /Dev server listening: .*port: (\d+)/,
    });
    const url = `http://127.0.0.1:${started.match[1]}`;
    servers.push({ url, stop: started.stop });
    return url;
  }

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it.each([
    ["node flavour, helpers on (Vercel's default)", "dist/vercel/commercelayer-webhook-node.mjs", true],
    ["node flavour, helpers off", "dist/vercel/commercelayer-webhook-node.mjs", false],
    ["Web POST", "dist/vercel/commercelayer-webhook.mjs", true],
  ] as const)("%s: byte-exact for every signed row of the contract", async (_name, entrypoint, helpers) => {
    const url = await serve(entrypoint, helpers);
    const delivery = signedDelivery("orders.place");
    const cases = contractCases().filter((c) => c.env === undefined && c.request.method === "POST");
    for (const contractCase of cases) {
      const answer = await post(url, contractCase.request.headers, contractCase.request.body);
      expect(answer.status, contractCase.name).toBe(contractCase.status);
    }
    // A body with no content type, and a JSON body that is not valid JSON: the helpers' parser must not get in the way.
    const { "content-type": _type, ...noType } = delivery.headers;
    expect((await post(url, noType, delivery.body)).status).toBe(200);
    expect((await post(url, signedBody("orders.place", "{not json").headers, Buffer.from("{not json"))).status).toBe(
      400,
    );
    // The dev server's proxy (undici) refuses chunked transfer-encoding, so the slow writes carry a Content-Length here.
    const slow = await sendInChunks(url, {
      headers: delivery.headers,
      body: delivery.body,
      chunkSize: 5,
      contentLength: true,
    });
    expect(slow.status).toBe(200);
  });
});
