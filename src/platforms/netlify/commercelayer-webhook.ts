// Netlify function (v2) served at /webhooks/commercelayer: runs the handlers of functions/handlers.ts and hands the
// `deferred(...)` ones to the background function commercelayer-webhook-worker-background of the same site.
// Netlify finds `default` and `config` by reading the file, so both stay plain top-level exports.
import type { Config } from "@netlify/functions";
import * as handlersFile from "../../../functions/handlers.ts";
import { receivingSide } from "../../template.ts";
import { createBackgroundHandOff } from "./hand-off.ts";
import { createNetlifyWebhookHandler } from "./receiving.ts";

const { handlers, options } = receivingSide(handlersFile, "netlify", createBackgroundHandOff);

export default createNetlifyWebhookHandler(handlers, options);

export const config: Config = { path: "/webhooks/commercelayer" };
