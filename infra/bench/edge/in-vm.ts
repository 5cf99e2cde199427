// The edge benchmark inside Vercel's edge VM (edge-runtime): a classic script that leaves `runEdgeBenchInVm` on the
// VM's global. The host (host-edge-runtime.ts) lends it its own process's CPU time and gc: the VM shares its isolate.
import { createEdgeWebhookHandler } from "../../../functions/factories/edge/commercelayer-webhook-factory.ts";
import { type EdgeBenchInput, runEdgeBench } from "./loop.ts";

declare const __benchCpuMs: () => number;
declare const __benchGc: (() => void) | undefined;

/** Takes and gives JSON text, so that no object crosses between the host's realm and the VM's. */
async function runEdgeBenchInVm(inputJson: string): Promise<string> {
  const input = JSON.parse(inputJson) as EdgeBenchInput;
  const report = await runEdgeBench(createEdgeWebhookHandler, input, {
    mark: () => __benchCpuMs(),
    ...(typeof __benchGc === "function" ? { gc: __benchGc } : {}),
  });
  return JSON.stringify(report);
}

Object.assign(globalThis, { runEdgeBenchInVm });
