// Vercel function for external resources: answers Commerce Layer's calls for the kinds functions/external.ts
// implements, the kind named by the URL's path (/api/external/tax-calculator, /api/external/payment-gateway/authorize...).
// `npm run build` puts it in .vercel/output once per implemented kind, at that kind's path, and nowhere when the file
// implements none (infra/build/vercel-output.ts). Built to dist/vercel/commercelayer-external.mjs.
import { createExternalReceiver } from "../../shared/external/receiver.ts";
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import { serveWeb } from "../../shared/web/adapter.ts";
import { externalHandlers } from "../external.ts";

export const POST = serveWeb(createExternalReceiver(NODE_RUNTIME, externalHandlers, { platform: "vercel" }));
