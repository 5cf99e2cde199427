// What the edge set-up suites (Next.js edge route, Netlify Edge Function, Cloudflare Worker) share: the edge factory
// copied into a throwaway project as docs/edge.md tells users, and the deliveries every set-up must answer the same way.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { expect } from "vitest";
import { fixtureBundlePath, ROOT } from "../support/bundles.ts";
import { type SignedDelivery, signedDelivery } from "../support/deliveries.ts";
import { waitForJsonLine } from "../support/log-lines.ts";
import type { Answer } from "./server-process.ts";

const FACTORY = "dist/factories/edge/commercelayer-webhook-factory.mjs";
const DECLARATIONS = "dist/factories/edge/commercelayer-webhook-factory.d.mts";

/**
 * Copies the edge factory and its declarations into `<project>/<toDirectory>/`. The factory comes from this run's
 * fixture build; the declarations from dist/ (`npm run build`): the suites' setup builds no .d.mts, to save seconds,
 * and neither file depends on the handlers they are built with.
 */
export function copyEdgeFactory(project: string, toDirectory: string): void {
  const sources = [fixtureBundlePath(FACTORY), join(ROOT, DECLARATIONS)];
  for (const source of sources) if (!existsSync(source)) throw new Error(`${source} is missing: run \`npm run build\``);
  mkdirSync(join(project, toDirectory), { recursive: true });
  for (const source of sources) copyFileSync(source, join(project, toDirectory, basename(source)));
}

export interface EdgeTarget {
  post(delivery: SignedDelivery): Promise<Answer>;
  /** Everything the server printed so far (the user's handler logs there). */
  output(): string;
}

/** A signed orders.place: 200 handled, and the user's handler logged the delivery's id and order number. */
export async function expectHandledByUser(target: EdgeTarget): Promise<void> {
  const delivery = signedDelivery("orders.place");
  const payload = JSON.parse(delivery.body.toString("utf8")) as {
    data: { id: string; attributes: { number: unknown } };
  };
  const since = target.output().length;
  const answer = await target.post(delivery);
  expect(answer).toEqual({ status: 200, body: '{"received":true,"outcome":"handled"}' });
  const line = await waitForJsonLine(
    () => target.output().slice(since),
    (entry) => entry.userHandler === "orders.place",
  );
  expect(line).toEqual({ userHandler: "orders.place", id: payload.data.id, number: payload.data.attributes.number });
}

/** Deliveries whose signature does not match their bytes: each must be answered 401 invalid_signature. */
export function forgedDeliveries(): { readonly name: string; readonly delivery: SignedDelivery }[] {
  const genuine = signedDelivery("orders.place");
  // Still valid JSON, one byte longer: only the signature can tell.
  const altered = Buffer.from(genuine.body.toString("utf8").replace('"type":"orders"', '"type": "orders"'), "utf8");
  if (altered.equals(genuine.body)) throw new Error("the sample body changed shape: alter another byte");
  return [
    { name: "signed with another secret", delivery: signedDelivery("orders.place", { secret: "not-the-secret" }) },
    { name: "one byte added after signing", delivery: { ...genuine, body: altered } },
    {
      name: "the signature of another delivery",
      delivery: { ...genuine, headers: signedDelivery("orders.place", { seed: 2 }).headers },
    },
  ];
}

/** Forged deliveries are refused (401) and never reach the user's handler. */
export async function expectForgedRefused(target: EdgeTarget): Promise<void> {
  const since = target.output().length;
  for (const { name, delivery } of forgedDeliveries()) {
    expect(await target.post(delivery), name).toEqual({ status: 401, body: '{"error":"invalid_signature"}' });
  }
  expect(target.output().slice(since)).not.toContain('"userHandler"');
}

/** With no secret configured, a correctly signed delivery is answered 500 and runs nothing. */
export async function expectNoSecret(target: EdgeTarget): Promise<void> {
  const since = target.output().length;
  const answer = await target.post(signedDelivery("orders.place"));
  expect(answer).toEqual({ status: 500, body: '{"error":"no_secret_configured"}' });
  await waitForJsonLine(
    () => target.output().slice(since),
    (entry) => entry.msg === "commercelayer webhook" && entry.reason === "no_secret_configured",
  );
  expect(target.output().slice(since)).not.toContain('"userHandler"');
}
