/**
 * Headers as the platforms hand them over: a Web `Headers` object (Vercel, Netlify), or a plain record whose keys keep
 * the sender's case and whose values may be arrays (Node's IncomingMessage, Lambda's `multiValueHeaders`).
 */
export type IncomingHeaders =
  | Pick<Headers, "get">
  | Readonly<Record<string, string | readonly string[] | null | undefined>>;

function isHeadersObject(headers: IncomingHeaders): headers is Pick<Headers, "get"> {
  return typeof (headers as Headers).get === "function";
}

/**
 * Every value a header arrived with, whatever the case of its name. A header sent twice yields two values, whether the
 * platform kept both in an array or joined them with a comma (neither signature nor topic ever contains a comma).
 */
export function readHeaderValues(headers: IncomingHeaders, name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  if (isHeadersObject(headers)) {
    const joined = headers.get(wanted);
    if (joined !== null) values.push(...joined.split(","));
  } else {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() !== wanted) continue;
      const value = headers[key];
      const items: readonly unknown[] = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
      for (const item of items) if (typeof item === "string") values.push(...item.split(","));
    }
  }
  return values.map((value) => value.trim());
}

/** The header's value when it arrived exactly once; `undefined` when it is missing or ambiguous. */
export function readSingleHeader(headers: IncomingHeaders, name: string): string | undefined {
  const values = readHeaderValues(headers, name);
  return values.length === 1 ? values[0] : undefined;
}
