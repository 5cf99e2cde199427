// Your external-resource handlers (payment gateway, tax calculator, prices, shipping costs, order validation,
// promotion): one per kind you implement, each returning the kind's result or failure(...). Empty by default.
//
// To start, copy a handler from functions/external-demo.ts (demo rules, never for production) and change its rule.
// `npm start` serves the kinds this map implements with these handlers and every other kind with the demo's
// (docs/local-development.md, "External resources locally"). No deployment uses this file yet: deploying external
// resources is not wired into vercel.json, serverless.yml or netlify.toml.
import { defineExternalHandlers } from "../src/external/public.ts";

export const externalHandlers = defineExternalHandlers({});
