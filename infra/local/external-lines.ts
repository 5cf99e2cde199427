// The external factories' JSON log line (msg "commercelayer external") as one readable line in `npm start`'s terminal,
// in the webhook deliveries' columns, the kind where the topic goes.
import { EXTERNAL_LOG_MESSAGE } from "../../shared/core/log.ts";
import type { formatDeliveryLine } from "./delivery-lines.ts";

type Line = Parameters<typeof formatDeliveryLine>[0];

export function parseExternalLine(text: string): Line | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(text) as Line & { msg?: string; kind?: string };
    if (parsed.msg !== EXTERNAL_LOG_MESSAGE) return undefined;
    return { ...parsed, topic: parsed.kind ?? "(no kind)" };
  } catch {
    return undefined;
  }
}
