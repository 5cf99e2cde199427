// Netlify function (v2) served at /webhooks/commercelayer: runs the handlers of functions/handlers.ts and hands the
// `deferred(...)` ones to the background function commercelayer-webhook-worker-background of the same site.
// Netlify finds `default` and `config` by reading the file, so both stay plain top-level exports.
// Built to dist/netlify/commercelayer-webhook.mjs.
import type { Config, Context } from "@netlify/functions";
import { createBackgroundHandOff } from "../../shared/node/netlify/background-hand-off.ts";
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import { serveWeb } from "../../shared/web/adapter.ts";
import { receivingSide } from "../../shared/webhooks/handlers-file.ts";
import * as handlersFile from "../handlers.ts";

export default serveWeb<Context>(receivingSide(NODE_RUNTIME, handlersFile, "netlify", createBackgroundHandOff));

export const config: Config = { path: "/webhooks/commercelayer" };
