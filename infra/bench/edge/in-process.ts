// The edge benchmark inside Node, Deno or Bun: `<runtime> in-process.mjs <input.mjs URL>` prints one JSON report line.
// The clock is the process's CPU time (process.cpuUsage, which all three have: every thread, so Web Crypto's work on a
// thread pool counts too); a full collection runs before each batch where the runtime exposes one.
import { createEdgeWebhookHandler } from "../../../functions/factories/edge/commercelayer-webhook-factory.ts";
import { type EdgeBenchInput, runEdgeBench } from "./loop.ts";

declare const Bun: { gc(force: boolean): void } | undefined;

const inputUrl = process.argv.at(-1) ?? "";
const input = ((await import(inputUrl)) as { default: EdgeBenchInput }).default;
const collect = (globalThis as { gc?: () => void }).gc ?? (typeof Bun === "undefined" ? undefined : () => Bun.gc(true));
const report = await runEdgeBench(createEdgeWebhookHandler, input, {
  mark() {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  },
  ...(collect ? { gc: collect } : {}),
});
console.log(JSON.stringify(report));
