// The local console in a real browser (Debian's Chromium, headless): `npm start` on a free port, its root opened, then
// deliveries sent as a person sends them (`npm run send`) and the page's own Replay and Send, each checked on the page.
// UPDATE_SCREENSHOT=1 also writes the screenshot docs/local-development.md shows (docs/console.png).
import { copyFileSync, mkdirSync } from "node:fs";
import { request } from "node:http";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEV_EXTERNAL_SECRETS, DEV_SECRET } from "../../infra/local/dev-secret.ts";
import { buildSampleDelivery } from "../../infra/samples/build.ts";
import { signPayload } from "../../shared/node/signature.ts";
import { launchChromium } from "../support/browser.ts";
import { ROOT } from "../support/bundles.ts";
import { startProcess } from "../support/http.ts";
import { freePort, freshEnv, npmSend } from "../support/local-commands.ts";

const ROWS = "#deliveries tbody tr";

/** A raw request to the receiver, any Host and headers allowed (fetch would not let them be set). */
function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer; host?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: options.host ?? "127.0.0.1",
        port,
        method: options.method ?? "GET",
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("the local console (npm start's root, in Chromium)", () => {
  let port: number;
  let base: string;
  let receiver: Awaited<ReturnType<typeof startProcess>>;
  let browser: Browser;
  let page: Page;
  /** Every URL the page asked for. */
  const requested: string[] = [];

  /** The newest row whose cells match, once it is on the page. */
  async function row(match: { subject?: string; outcome?: string; note?: string; path?: RegExp }) {
    let rows = page.locator(ROWS);
    if (match.subject !== undefined) rows = rows.filter({ has: page.locator(".subject", { hasText: match.subject }) });
    if (match.outcome !== undefined) rows = rows.filter({ has: page.locator(`.outcome.outcome-${match.outcome}`) });
    if (match.note !== undefined) rows = rows.filter({ has: page.locator(".note", { hasText: match.note }) });
    if (match.path !== undefined) rows = rows.filter({ has: page.locator(".path", { hasText: match.path }) });
    const found = rows.first();
    await found.waitFor({ timeout: 10_000 });
    return { locator: found, id: Number(await found.getAttribute("data-id")) };
  }

  async function select(id: number) {
    await page.locator(`${ROWS}[data-id="${id}"]`).click();
    await page.locator("#detail-title", { hasText: `#${id} ` }).waitFor({ timeout: 5000 });
  }

  const rawBody = async (id: number) =>
    Buffer.from(await (await page.request.get(`${base}/console/api/deliveries/${id}/body`)).body());

  /** Why there is no browser: each test fails with it (a failure, not tests skipped by a failed hook). */
  let noBrowser: Error | undefined;

  beforeAll(async () => {
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // The browser first: without Chromium there is nothing to start npm start for.
    try {
      browser = await launchChromium();
    } catch (error) {
      noBrowser = error as Error;
      return;
    }
    receiver = await startProcess("npm", ["start", "--", "--handlers", "test/fixtures/handlers.ts", "--no-watch"], {
      cwd: ROOT,
      env: freshEnv({ PORT: String(port) }),
      ready: /Ctrl-C stops it/,
      timeoutMs: 60_000,
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on("request", (sent) => requested.push(sent.url()));
    await page.goto(`${base}/`);
    await page.locator("#live.on").waitFor({ timeout: 10_000 });
  });

  beforeEach(() => {
    if (noBrowser !== undefined) throw noBrowser;
  });

  afterAll(async () => {
    await browser?.close();
    await receiver?.stop();
  });

  it("is served at the root, whose URL npm start prints first, and loads nothing from anywhere else", async () => {
    const firstUrl = receiver.output().match(/http:\/\/\S+/)?.[0];
    expect(firstUrl).toBe(`${base}/`);
    expect(receiver.output()).toMatch(new RegExp(`Console: ${base}/`));
    expect(await page.title()).toContain("Local console");
    expect(requested.length).toBeGreaterThan(0);
    for (const url of requested) expect(url.startsWith(`${base}/`) || url.startsWith("data:"), url).toBe(true);
    const html = await rawRequest(port, { path: "/", headers: { accept: "text/html" } });
    expect(html.status).toBe(200);
    // curl, asking for anything, still gets the text index.
    expect((await rawRequest(port, { path: "/" })).body).toContain("Commerce Layer webhook receiver (local)");
  });

  it("shows a delivery sent with `npm run send` without a reload, and its handler's log line in its detail", async () => {
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const sent = await npmSend(port, ["orders.place"]);
    expect(sent.code).toBe(0);
    const { locator, id } = await row({ subject: "orders.place", outcome: "handled" });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await locator.locator(".path").textContent()).toBe("/vercel/api/webhooks/commercelayer");
    expect(await locator.locator(".status").textContent()).toBe("200");
    expect(await locator.locator(".ms").textContent()).toMatch(/^\d+\.\d$/);
    await select(id);
    await page.locator("#detail-logs li", { hasText: /fixture handler.*"handler":"orders\.place"/ }).waitFor();
    // The headers, the signature shortened; the body re-indented, its tokens untouched.
    await expect(page.locator("#detail-headers").textContent()).resolves.toMatch(/x-commercelayer-signature\S*… \(44/);
    expect(await page.locator("#detail-body").textContent()).toContain('\n  "data": {\n');
    expect(await page.locator("#answer-status").textContent()).toMatch(/^200/);
  });

  it("attributes a deferred run's lines (the SQS worker's) to its delivery once it has run", async () => {
    expect((await npmSend(port, ["orders.approve", "--platform", "aws-lambda"])).code).toBe(0);
    const { id } = await row({ subject: "orders.approve", path: /aws-lambda/ });
    await select(id);
    const deferredLine = page.locator("#detail-logs li", { hasText: /deferred run.*"platform":"aws-lambda-worker"/ });
    await deferredLine.waitFor({ timeout: 10_000 });
    await page.locator("#detail-logs li", { hasText: /deferred run.*"handler":"orders\.approve"/ }).waitFor();
    await row({ subject: "orders.approve", note: "then handled" });
  });

  it("Replay sends the same bytes again: a second entry with the same body, to the same path or another platform's", async () => {
    const original = await row({ subject: "orders.place", outcome: "handled", path: /vercel/ });
    await select(original.id);
    await page.locator("#replay").click();
    const replayed = await row({ note: `replay of #${original.id}`, outcome: "handled" });
    expect(replayed.id).toBeGreaterThan(original.id);
    expect(await replayed.locator.locator(".path").textContent()).toBe("/vercel/api/webhooks/commercelayer");
    const [before, after] = [await rawBody(original.id), await rawBody(replayed.id)];
    expect(after.length).toBeGreaterThan(1000);
    expect(after.equals(before)).toBe(true);
    // The page selected the replay; its exact bytes are the original's.
    await page.locator("#detail-title", { hasText: `#${replayed.id} ` }).waitFor();
    await page.locator("#body-exact").click();
    await page.locator("#detail-body[data-view=exact]").waitFor();
    expect(await page.locator("#detail-body").textContent()).toBe(before.toString("utf8"));

    await select(original.id);
    await page.locator("#replay-to").selectOption("netlify");
    await page.locator("#replay").click();
    const elsewhere = await row({ note: `replay of #${original.id}`, path: /^\/netlify\// });
    await elsewhere.locator.locator(".outcome-handled").waitFor();
    expect((await rawBody(elsewhere.id)).equals(before)).toBe(true);
  });

  it("shows a forged delivery as rejected, with its hint", async () => {
    const sent = await npmSend(port, ["orders.place", "--secret", "forged-secret"]);
    expect(sent.code).toBe(1);
    const { locator } = await row({ subject: "orders.place", outcome: "rejected" });
    expect(await locator.locator(".status").textContent()).toBe("401");
    expect(await locator.locator(".reason").textContent()).toMatch(/invalid_signature — \d+ bytes received: check/);
  });

  it("shows a body that is not UTF-8 as binary, in hex", async () => {
    const body = Buffer.from([0xff, 0xfe, 0x00, 0x62, 0x69, 0x6e]);
    await rawRequest(port, {
      method: "POST",
      path: "/aws-lambda/webhooks/commercelayer",
      headers: { "x-commercelayer-topic": "orders.place", "x-commercelayer-signature": "forged" },
      body,
    });
    const { id } = await row({ path: /aws-lambda/, outcome: "rejected" });
    await select(id);
    expect(await page.locator("#body-size").textContent()).toContain("6 bytes · binary: not UTF-8");
    expect(await page.locator("#detail-body").textContent()).toContain("ff fe 00 62 69 6e");
    expect((await rawBody(id)).equals(body)).toBe(true);
  });

  it("Send sends a topic's and an external kind's sample, signed with the secret in force", async () => {
    await page.locator("#open-send").click();
    await page.locator("#send-name option", { hasText: /^customers\.create$/ }).waitFor({ state: "attached" });
    await page.locator("#send-name").selectOption("customers.create");
    await page.locator("#send-preview", { hasText: '"type":"customers"' }).waitFor();
    await page.locator("#send-platform").selectOption("netlify");
    await page.locator("#send").click();
    const topic = await row({ subject: "customers.create", note: "sent from the console", outcome: "handled" });
    expect(await topic.locator.locator(".path").textContent()).toBe("/netlify/webhooks/commercelayer");
    await page.locator("#detail-logs li", { hasText: /"handler":"customers\.create"/ }).waitFor();

    await page.locator("#send-name").selectOption("tax-calculator");
    await page.locator("#send-platform").selectOption("aws-lambda");
    await page.locator("#send").click();
    const kind = await row({ subject: "tax-calculator", note: "sent from the console", outcome: "answered" });
    expect(await kind.locator.locator(".path").textContent()).toBe("/aws-lambda/external/tax-calculator");
    expect(await kind.locator.locator(".status").textContent()).toBe("200");
  });

  it("filters by outcome, topic and platform", async () => {
    const outcomes = async () => page.locator(`${ROWS} .outcome`).evaluateAll((cells) => cells.map((c) => c.className));
    await page.locator("#filter-outcome").selectOption("rejected");
    const rejected = await outcomes();
    expect(rejected.length).toBeGreaterThanOrEqual(2);
    for (const className of rejected) expect(className).toContain("outcome-rejected");
    await page.locator("#filter-outcome").selectOption("");
    await page.locator("#filter-subject").selectOption("orders.approve");
    const subjects = await page.locator(`${ROWS} .subject`).allTextContents();
    expect(subjects.length).toBeGreaterThanOrEqual(1);
    for (const subject of subjects) expect(subject).toMatch(/^orders\.approve/);
    await page.locator("#filter-subject").selectOption("");
    await page.locator("#filter-platform").selectOption("netlify");
    const paths = await page.locator(`${ROWS} .path`).allTextContents();
    expect(paths.length).toBeGreaterThanOrEqual(2);
    for (const path of paths) expect(path).toMatch(/^\/netlify\//);
    await page.locator("#filter-platform").selectOption("");
  });

  it("holds no secret, nor a whole signature, in the page or its API", async () => {
    const secrets = [DEV_SECRET, ...Object.values(DEV_EXTERNAL_SECRETS)];
    const signature = signPayload(Buffer.from(buildSampleDelivery("orders.place").body), DEV_SECRET);
    const list = (await (await page.request.get(`${base}/console/api/deliveries`)).json()) as {
      entries: { id: number }[];
    };
    const texts = [await page.content(), JSON.stringify(list)];
    for (const { id } of list.entries)
      texts.push(await (await page.request.get(`${base}/console/api/deliveries/${id}`)).text());
    expect(texts.join("\n")).toContain("x-commercelayer-signature");
    for (const text of texts) {
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toContain(signature);
    }
  });

  it("answers this machine's browser only: no other Host, no forwarded or cross-site request, no other interface", async () => {
    expect((await rawRequest(port, { path: "/console/api/deliveries", headers: { host: "example.com" } })).status).toBe(
      403,
    );
    const forwarded = { "x-forwarded-for": "203.0.113.9" };
    expect((await rawRequest(port, { path: "/console/api/deliveries", headers: forwarded })).status).toBe(403);
    const replay = { method: "POST", path: "/console/api/deliveries/1/replay", body: Buffer.from("{}") };
    expect((await rawRequest(port, { ...replay, headers: { "content-type": "text/plain" } })).status).toBe(403);
    const crossSite = { "content-type": "application/json", origin: "https://example.com" };
    expect((await rawRequest(port, { ...replay, headers: crossSite })).status).toBe(403);
    const outside = Object.values(networkInterfaces())
      .flat()
      .find((address) => address !== undefined && !address.internal && address.family === "IPv4");
    if (outside !== undefined)
      await expect(rawRequest(port, { path: "/", host: outside.address })).rejects.toThrow(/ECONNREFUSED/);
  });

  it("takes a screenshot of the page", async () => {
    const { id } = await row({ subject: "orders.approve", path: /aws-lambda/ });
    await page.locator("#open-send").click();
    await select(id);
    const file = join(ROOT, ".test-build", "console.png");
    mkdirSync(join(ROOT, ".test-build"), { recursive: true });
    await page.screenshot({ path: file });
    if (process.env.UPDATE_SCREENSHOT === "1") copyFileSync(file, join(ROOT, "docs", "console.png"));
    expect(receiver.output()).not.toMatch(/\n\s+at /);
  });
});
