// Your external-resource handlers (payment gateway, tax calculator, prices, shipping costs, order validation,
// promotion): one per kind you implement, each returning the kind's result or failure(...). Empty by default, and
// then nothing of the external resources is deployed.
//
// `npm run build` deploys exactly the kinds this map implements, each at its own URL ending in the kind (Vercel
// /api/external/<kind>, AWS Lambda and Netlify /external/<kind>); a kind left out has no URL at all.
// Name the Commerce Layer resource each kind serves in functions/external-attachments.ts, beside this file: `npm run
// commercelayer -- apply` then reads their secrets into .env, and `enable --external-url <prefix>` sets their URLs
// (docs/external-resources.md, which also says which resource gets each URL and secret, for doing it by hand).
//
// To start, copy a handler from functions/external-demo.ts (demo rules, never for production) and change its rule.
// `npm start` serves the kinds this map implements with these handlers and every other kind with the demo's
// (docs/local-development.md, "External resources locally"). The demo is deployed only if you put it here yourself.
import { defineExternalHandlers } from "../shared/external/handlers-file.ts";

export const externalHandlers = defineExternalHandlers({});
