// Vercel function (api/) and Next.js App Router route file (app/api/webhooks/commercelayer/route): exports POST only,
// as a route file must. Serves the topic handlers in functions/handlers.ts.
import { handlers } from "../handlers.ts";
import { createVercelWebhookHandler } from "./create-handler.ts";

export const POST = createVercelWebhookHandler(handlers);
