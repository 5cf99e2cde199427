// How the console shows a body: JSON re-indented without touching a single token (Ruby-style `153.0` stays `153.0`,
// which JSON.parse + JSON.stringify would turn into `153`), other UTF-8 text as it is, and anything that is not valid
// UTF-8 as a hex dump of its first bytes, said to be binary. The exact bytes are always one request away (api.ts).

/** Characters of a body the page is sent at most: a 5 MiB body pretty-printed would stall the browser for nothing. */
export const SHOWN_CHARS = 256 * 1024;

/** Bytes of a binary body shown as hex. */
export const SHOWN_HEX_BYTES = 1024;

export interface BodyView {
  readonly encoding: "empty" | "json" | "text" | "binary";
  /** Bytes that arrived (stored may be fewer: see `stored`). */
  readonly bytes: number;
  /** Bytes kept by the history: fewer than `bytes` when the body was over its limit. */
  readonly stored: number;
  /** What the page shows: pretty JSON, the text, or a hex dump. */
  readonly shown: string;
  /** `shown` was cut at this many characters (or, for binary, bytes). */
  readonly clipped?: number;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The text of `bytes`, or undefined when they are not valid UTF-8 (or hold a NUL, which no text body does). */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    const text = strictUtf8.decode(bytes);
    return text.includes("\u0000") ? undefined : text;
  } catch {
    return undefined;
  }
}

/** `JSON.parse`-valid text with one token per line, indented by two spaces; the tokens themselves are untouched. */
export function reindentJson(text: string): string {
  const out: string[] = [];
  let depth = 0;
  let index = 0;
  const newline = () => out.push(`\n${"  ".repeat(depth)}`);
  while (index < text.length) {
    const char = text[index] as string;
    if (char === '"') {
      // A string, escapes included, copied as it is.
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      out.push(text.slice(index, end + 1));
      index = end + 1;
      continue;
    }
    if (char === "{" || char === "[") {
      // An empty object or array stays on one line.
      const rest = text.slice(index + 1).trimStart();
      if (rest.startsWith(char === "{" ? "}" : "]")) {
        out.push(char === "{" ? "{}" : "[]");
        index = text.length - rest.length + 1;
        continue;
      }
      out.push(char);
      depth += 1;
      newline();
    } else if (char === "}" || char === "]") {
      depth -= 1;
      newline();
      out.push(char);
    } else if (char === ",") {
      out.push(",");
      newline();
    } else if (char === ":") out.push(": ");
    else if (!/\s/.test(char)) out.push(char);
    index += 1;
  }
  return out.join("");
}

/** `offset  hex bytes  |printable|`, 16 bytes a line. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = [...bytes.subarray(offset, offset + 16)];
    const hex = row.map((byte) => byte.toString(16).padStart(2, "0")).join(" ");
    const printable = row.map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ".")).join("");
    lines.push(`${offset.toString(16).padStart(8, "0")}  ${hex.padEnd(47)}  |${printable}|`);
  }
  return lines.join("\n");
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `stored`: the bytes the history kept; `bytes`: how many arrived. */
export function bodyView(stored: Uint8Array, bytes = stored.length): BodyView {
  const sizes = { bytes, stored: stored.length };
  if (bytes === 0) return { encoding: "empty", ...sizes, shown: "" };
  const text = utf8Text(stored);
  if (text === undefined) {
    const shown = hexDump(stored.subarray(0, SHOWN_HEX_BYTES));
    return {
      encoding: "binary",
      ...sizes,
      shown,
      ...(stored.length > SHOWN_HEX_BYTES ? { clipped: SHOWN_HEX_BYTES } : {}),
    };
  }
  // A body cut by the history's limit is no whole JSON document: shown as text.
  const json = stored.length === bytes && isJson(text);
  const full = json ? reindentJson(text) : text;
  const clip = full.length > SHOWN_CHARS ? { clipped: SHOWN_CHARS } : {};
  return { encoding: json ? "json" : "text", ...sizes, shown: full.slice(0, SHOWN_CHARS), ...clip };
}
