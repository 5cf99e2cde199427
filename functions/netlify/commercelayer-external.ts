// Netlify function (v2) for external resources: answers Commerce Layer's calls for the kinds functions/external.ts
// implements, the kind named by the URL's path (/external/tax-calculator, /external/payment-gateway/authorize...).
// Its `config`, one path per implemented kind, is written by the build beside this default export, as Netlify reads it
// from the file (infra/build/external-deploy.ts); with no kind implemented, the build leaves the function out.
import type { Context } from "@netlify/functions";
import { createExternalReceiver } from "../../shared/external/receiver.ts";
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import { serveWeb } from "../../shared/web/adapter.ts";
import { externalHandlers } from "../external.ts";

export default serveWeb<Context>(createExternalReceiver(NODE_RUNTIME, externalHandlers, { platform: "netlify" }));
