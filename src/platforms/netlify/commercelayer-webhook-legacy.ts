// Legacy Netlify function (v1, Lambda-compatible), served at /.netlify/functions/commercelayer-webhook-legacy, for
// sites that still use this form: the handlers of functions/handlers.ts, the `deferred(...)` ones handed to the same
// background function as the v2 function's (found from the event's `rawUrl`).
import * as handlersFile from "../../../functions/handlers.ts";
import { receivingSide } from "../../template.ts";
import { createBackgroundHandOff } from "./hand-off.ts";
import { createNetlifyLegacyWebhookHandler } from "./receiving.ts";

const { handlers, options } = receivingSide(handlersFile, "netlify", createBackgroundHandOff);

export const handler = createNetlifyLegacyWebhookHandler(handlers, options);
