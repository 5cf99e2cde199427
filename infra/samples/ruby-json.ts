// Serializes a value the way Commerce Layer's Rails backend writes a delivery: compact, UTF-8, floats that keep their
// `.0` (`153.0`), and `<`, `>`, `&` escaped as ActiveSupport does. JSON.stringify(JSON.parse(body)) of such a body
// gives different bytes, which is exactly what the signature tests need to catch any re-serialization.

/** A number that Ruby writes as a float (`153.0`, not `153`). */
export class RubyFloat {
  constructor(readonly value: number) {}
}

export function rubyFloat(value: number): RubyFloat {
  return new RubyFloat(value);
}

const HTML_ESCAPES: Record<string, string> = { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026" };

function encodeString(value: string): string {
  return JSON.stringify(value).replace(/[<>&]/g, (char) => HTML_ESCAPES[char] ?? char);
}

export function toRubyJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof RubyFloat) {
    return Number.isInteger(value.value) ? value.value.toFixed(1) : String(value.value);
  }
  if (typeof value === "string") return encodeString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(toRubyJson).join(",")}]`;
  if (typeof value === "object") {
    const members = Object.entries(value).map(([key, member]) => `${encodeString(key)}:${toRubyJson(member)}`);
    return `{${members.join(",")}}`;
  }
  throw new TypeError(`cannot serialize ${typeof value}`);
}
