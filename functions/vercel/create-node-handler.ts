// `(req, res)` handlers: Next.js pages-router API routes, Vercel functions in the Node signature, any Node server.
import type { IncomingMessage, ServerResponse } from "node:http";
import { logDeliveryAsJson } from "../../shared/delivery-log.ts";
import {
  createWebhookReceiver,
  JSON_HEADERS,
  type ReceiverOptions,
  type WebhookResponse,
} from "../../shared/receiver.ts";
import type { WebhookHandlers } from "../../shared/router.ts";
import { type NodeBody, readNodeBody } from "./node-body.ts";

export type NodeWebhookOptions = Omit<ReceiverOptions, "platform">;

const LOST_BODY_HINT =
  "body parsed before this handler: in Next.js pages export const config = { api: { bodyParser: false } }, in Express use express.raw()";

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
    // Only a POST body is read; any other method gets its 405 from the receiver without reading anything.
    let body: NodeBody = { kind: "bytes", bytes: new Uint8Array(0), tooLarge: false };
    try {
      if (method.toUpperCase() === "POST") body = await readNodeBody(req, receive.maxBodyBytes());
    } catch {
      // The sender went away mid-body: nothing to verify and nobody to answer. Settle quietly, so that a server
      // calling this without a catch does not die of an unhandled rejection.
      log({ platform, outcome: "rejected", status: 400, ms: 0, reason: "body_aborted" });
      res.destroy();
      return;
    }
    if (body.kind === "lost") {
      // Not a 401: the sender is probably genuine, and the fix is in this app's set-up.
      log({ platform, outcome: "failed", status: 500, ms: 0, reason: body.reason, hint: LOST_BODY_HINT });
      writeResponse(res, { status: 500, headers: JSON_HEADERS, body: `{"error":"${body.reason}"}` }, false);
      return;
    }
    const response = await receive({ method, headers: req.headers, body: body.bytes });
    writeResponse(res, response, body.tooLarge);
    if (body.tooLarge) res.once("finish", () => req.destroy());
  };
}
