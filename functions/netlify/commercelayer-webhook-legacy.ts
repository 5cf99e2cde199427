// Legacy Netlify function (v1, Lambda-compatible), served at /.netlify/functions/commercelayer-webhook-legacy, for
// sites that still use this form: the handlers of functions/handlers.ts, the `deferred(...)` ones handed to the same
// background function as the v2 function's (found from the event's `rawUrl`). Its events are Lambda's: base64 for
// most content types, which the Lambda adapter honours. Built to dist/netlify/commercelayer-webhook-legacy.mjs.
import { serveLambda } from "../../shared/node/lambda-adapter.ts";
import { createBackgroundHandOff } from "../../shared/node/netlify/background-hand-off.ts";
import { NODE_RUNTIME } from "../../shared/node/runtime.ts";
import { receivingSide } from "../../shared/webhooks/handlers-file.ts";
import * as handlersFile from "../handlers.ts";

export const handler = serveLambda(
  receivingSide(NODE_RUNTIME, handlersFile, "netlify", createBackgroundHandOff, "netlify-legacy"),
);
