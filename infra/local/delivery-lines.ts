// Turns the bundles' JSON log lines into one readable line per delivery for the local receiver's terminal.

interface DeliveryLine {
  msg?: string;
  platform?: string;
  topic?: string;
  id?: string;
  outcome?: string;
  status?: number;
  ms?: number;
  reason?: string;
  hint?: string;
  errors?: string[];
}

const pad = (text: string | number | undefined, width: number) => String(text ?? "-").padEnd(width);

export function formatDeliveryLine(entry: DeliveryLine, platform: string, now = new Date()): string {
  const time = now.toISOString().slice(11, 23);
  const detail = [entry.reason, entry.hint, ...(entry.errors ?? [])].filter(Boolean).join("; ");
  return [
    time,
    pad(platform, 11),
    pad(entry.topic, 34),
    pad(entry.id, 11),
    pad(entry.outcome, 9),
    pad(entry.status, 4),
    `${(entry.ms ?? 0).toFixed(1).padStart(6)} ms`,
    detail ? ` ${detail}` : "",
  ].join(" ");
}

/** The parsed line when it is the receiver's per-delivery record, otherwise undefined. */
export function parseDeliveryLine(text: string): DeliveryLine | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(text) as DeliveryLine;
    return parsed.msg === "commercelayer webhook" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON line some other code logged (the example handlers do): `  ↳ msg key=value ...`. */
export function formatOtherJsonLine(text: string): string | undefined {
  if (!text.startsWith("{")) return undefined;
  try {
    const { msg, level: _level, ...fields } = JSON.parse(text) as Record<string, unknown>;
    const pairs = Object.entries(fields).map(
      ([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`,
    );
    return `  ↳ ${typeof msg === "string" ? `${msg}: ` : ""}${pairs.join(" ")}`;
  } catch {
    return undefined;
  }
}
