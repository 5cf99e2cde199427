// The smallest correct receivers one could write by hand, per platform shape: the cold-start baselines.
// Written out as module source so each runs in a fresh process exactly like a bundle does.

const VERIFY = `
import { createHmac, timingSafeEqual } from "node:crypto";
function verify(body, signature, secret) {
  const expected = Buffer.from(createHmac("sha256", secret).update(body).digest("base64"));
  const received = Buffer.from(signature ?? "");
  return expected.length === received.length && timingSafeEqual(expected, received);
}`;

/** `handler(event)` for a Lambda HTTP API event. */
export const MINIMAL_LAMBDA_HANDLER = `${VERIFY}
export async function handler(event) {
  const body = Buffer.from(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8");
  if (!verify(body, event.headers["x-commercelayer-signature"], process.env.COMMERCELAYER_WEBHOOK_SECRET)) return { statusCode: 401, body: "" };
  JSON.parse(body.toString("utf8"));
  return { statusCode: 200, body: "{}" };
}`;

/** `POST(request)` for a Web Request. */
export const MINIMAL_WEB_HANDLER = `${VERIFY}
export async function POST(request) {
  const body = Buffer.from(await request.arrayBuffer());
  if (!verify(body, request.headers.get("x-commercelayer-signature"), process.env.COMMERCELAYER_WEBHOOK_SECRET)) return new Response("", { status: 401 });
  JSON.parse(body.toString("utf8"));
  return new Response("{}", { status: 200 });
}`;
