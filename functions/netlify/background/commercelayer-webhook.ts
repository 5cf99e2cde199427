// Netlify function (v2) served at /webhooks/commercelayer, with deferred handlers: the handlers in functions/handlers.ts
// marked `deferred(...)` are handed to the background function commercelayer-webhook-worker-background (same site),
// the others run in the request. Deployed only when netlify.toml's functions directory is dist/netlify-background.
import type { Config } from "@netlify/functions";
import { handlers } from "../../handlers.ts";
import { createNetlifyDeferringHandler } from "../background-hand-off.ts";

export default createNetlifyDeferringHandler(handlers);

export const config: Config = { path: "/webhooks/commercelayer" };
