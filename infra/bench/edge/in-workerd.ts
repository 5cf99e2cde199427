// The edge benchmark inside workerd, as a module worker: POST an input (loop.ts), get the report. A Worker has no CPU
// clock and its timers are coarse (and frozen during execution in production), so each mark is an awaited fetch to
// the CLOCK service binding: the host (host-workerd.ts) answers with workerd's CPU time read from /proc. The mark's own
// cost is what an empty batch measures, which the loop subtracts.
import { createEdgeWebhookHandler } from "../../../functions/factories/edge/commercelayer-webhook-factory.ts";
import { type EdgeBenchInput, runEdgeBench } from "./loop.ts";

interface Env {
  readonly CLOCK: { fetch(url: string): Promise<Response> };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const input = (await request.json()) as EdgeBenchInput;
    const report = await runEdgeBench(createEdgeWebhookHandler, input, {
      mark: async () => Number(await (await env.CLOCK.fetch("http://clock/")).text()),
    });
    return Response.json(report);
  },
};
