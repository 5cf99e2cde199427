// Netlify function (v2) for external resources: answers Commerce Layer's calls for the kinds functions/external.ts
// implements, the kind named by the URL's path (/external/tax-calculator, /external/payment-gateway/authorize...).
// Its `config`, one path per implemented kind, is written by the build beside this default export, as Netlify reads it
// from the file (tooling/build/external-deploy.ts); with no kind implemented, the build leaves the function out.
import { externalHandlers } from "../../../functions/external.ts";
import { createNetlifyExternalHandler } from "./external.ts";

export default createNetlifyExternalHandler(externalHandlers);
