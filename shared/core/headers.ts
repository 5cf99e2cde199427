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
  // Plain loops: two or three reads a delivery, where flatMap's intermediate arrays cost a small delivery several per cent.
  const add = (value: unknown) => {
    if (typeof value === "string") for (const item of value.split(",")) values.push(item.trim());
  };
  if (isHeadersObject(headers)) add(headers.get(wanted));
  else {
    // A record's every key spelt this way, its arrays flattened; anything but text dropped.
    for (const key of Object.keys(headers)) {
      const value = key.toLowerCase() === wanted ? headers[key] : undefined;
      if (Array.isArray(value)) for (const item of value) add(item);
      else add(value);
    }
  }
  return values;
}

/** The header's value when it arrived exactly once; `undefined` when it is missing or ambiguous. */
export function readSingleHeader(headers: IncomingHeaders, name: string): string | undefined {
  const values = readHeaderValues(headers, name);
  return values.length === 1 ? values[0] : undefined;
}
