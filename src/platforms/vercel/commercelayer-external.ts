// Vercel function for external resources: answers Commerce Layer's calls for the kinds functions/external.ts
// implements, the kind named by the URL's path (/api/external/tax-calculator, /api/external/payment-gateway/authorize...).
// `npm run build` puts it in .vercel/output once per implemented kind, at that kind's path, and nowhere when the file
// implements none (tooling/build/vercel-output.ts).
import { externalHandlers } from "../../../functions/external.ts";
import { createVercelExternalHandler } from "./external.ts";

export const POST = createVercelExternalHandler(externalHandlers);
