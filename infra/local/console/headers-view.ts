// The request headers as the console shows them: in the order and spelling they arrived, each value once per line,
// the signature shortened and credentials a sender may add (Authorization, cookies, tokens) hidden. The history keeps
// them whole, for Replay; only this view leaves the process.
import { SIGNATURE_HEADER } from "../../../shared/core/commerce-layer.ts";

export interface HeaderLine {
  readonly name: string;
  readonly value: string;
}

/** Characters of the signature shown: enough to tell two apart, too few to test guesses of the secret against. */
export const SIGNATURE_SHOWN = 8;

const CREDENTIAL = /^(authorization|proxy-authorization|cookie|set-cookie)$|secret|token|api-key|password/i;

export function shownValue(name: string, value: string): string {
  if (name.toLowerCase() === SIGNATURE_HEADER)
    return `${value.slice(0, SIGNATURE_SHOWN)}… (${value.length} characters, shortened)`;
  if (CREDENTIAL.test(name)) return `[hidden: ${value.length} characters]`;
  return value;
}

/** `rawHeaders` as Node gives them: name, value, name, value... */
export function shownHeaders(rawHeaders: readonly string[]): HeaderLine[] {
  const lines: HeaderLine[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index] as string;
    lines.push({ name, value: shownValue(name, rawHeaders[index + 1] as string) });
  }
  return lines;
}

/** The value of one header (the first, by any spelling), from raw headers. */
export function rawHeader(rawHeaders: readonly string[], name: string): string | undefined {
  for (let index = 0; index + 1 < rawHeaders.length; index += 2)
    if ((rawHeaders[index] as string).toLowerCase() === name) return rawHeaders[index + 1];
  return undefined;
}
