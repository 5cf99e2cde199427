// `(req, res)` handlers: Next.js pages-router API routes, Vercel functions in the Node signature, any Node server.
import type { IncomingMessage, ServerResponse } from "node:http";
import { logDeliveryAsJson } from "../../shared/delivery-log.ts";
import { createWebhookReceiver, type ReceiverOptions, type WebhookResponse } from "../../shared/receiver.ts";
import type { WebhookHandlers } from "../../shared/router.ts";
import { readNodeBody } from "./node-body.ts";

export type NodeWebhookOptions = Omit<ReceiverOptions, "platform">;

const LOST_BODY_HINT =
  "the body was parsed before this handler ran, so its exact bytes (which the signature covers) are lost. " +
  "Next.js pages router: export const config = { api: { bodyParser: false } } from the route file. " +
  "Express: mount this handler before express.json(), or give it express.raw({ type: '*/*' }). " +
  "Vercel: nothing to do for this handler; if you wrapped it, pass req through untouched.";

function writeResponse(res: ServerResponse, response: WebhookResponse, closeConnection: boolean): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  // Over the limit: answer at once and drop the connection rather than read the rest of the body.
  if (closeConnection) res.setHeader("connection", "close");
  res.end(response.body);
}

export function createNodeWebhookHandler(
  handlers: WebhookHandlers,
  options: NodeWebhookOptions = {},
  platform = "node",
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const receive = createWebhookReceiver(handlers, { platform, ...options });
  const log = options.log ?? logDeliveryAsJson;
  return async (req, res) => {
    const method = req.method ?? "GET";
    if (method.toUpperCase() !== "POST") {
      writeResponse(res, await receive({ method, headers: req.headers, body: new Uint8Array(0) }), false);
      return;
    }
    const body = await readNodeBody(req, receive.maxBodyBytes());
    if (body.kind === "lost") {
      // Not a 401: the sender is probably genuine, and the fix is in this app's set-up.
      log({ platform, outcome: "failed", status: 500, ms: 0, reason: body.reason, hint: LOST_BODY_HINT });
      writeResponse(
        res,
        {
          status: 500,
          headers: { "content-type": "application/json; charset=utf-8" },
          body: `{"error":"${body.reason}"}`,
        },
        false,
      );
      return;
    }
    const response = await receive({ method, headers: req.headers, body: body.bytes });
    writeResponse(res, response, body.tooLarge);
    if (body.tooLarge) res.once("finish", () => req.destroy());
  };
}
