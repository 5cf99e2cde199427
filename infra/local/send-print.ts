// `npm run send -- --print`: the request as it would be sent, and a curl command that sends the same bytes. The body
// goes to curl as a file (`--data-binary @file`): pasted into a shell argument, a body loses or changes bytes (quotes,
// `$`, a trailing newline), and then the signature no longer matches.

import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { DeliveryRequest } from "./send-request.ts";

/** One shell word, whatever it holds: single quotes keep everything literal except `'` itself. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Where curl reads the body from: the user's own file as it is, else a file of send's own under the system's
 * temporary folder, named after the topic and the bytes' hash so that a rerun reuses it and two bodies never share one.
 */
export function bodyFileFor(request: DeliveryRequest, userFile: string | undefined): string {
  if (userFile !== undefined) return resolve(userFile);
  const folder = join(tmpdir(), "commercelayer-send");
  mkdirSync(folder, { recursive: true });
  const hash = createHash("sha256").update(request.body).digest("hex").slice(0, 12);
  const path = join(folder, `${request.topic.replaceAll(/[^\w.-]/g, "_")}-${hash}.json`);
  writeFileSync(path, request.body);
  return path;
}

/** A curl command sending exactly `request`, its body read from `bodyFile`. */
export function curlCommand(request: DeliveryRequest, bodyFile: string): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`);
  // With --data-binary curl adds `Content-Type: application/x-www-form-urlencoded` unless told otherwise; an empty
  // `content-type:` header removes it.
  if (request.headers["content-type"] === undefined) headers.unshift(`-H ${shellQuote("content-type:")}`);
  return [`curl -sS -i ${shellQuote(request.url)}`, ...headers, `--data-binary ${shellQuote(`@${bodyFile}`)}`].join(
    " \\\n  ",
  );
}

/** The headers and the body as they would be sent, then the curl command. */
export function printedRequest(request: DeliveryRequest, bodyFile: string): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`);
  if (request.headers["content-type"] === undefined) headers.unshift("(no content-type header)");
  const body = isUtf8(request.body)
    ? request.body.toString("utf8")
    : `(${request.body.length} bytes, not UTF-8: see ${bodyFile})`;
  return [
    `--- ${request.topic}: not sent (--print) ---`,
    `POST ${request.url}`,
    ...headers,
    `content-length: ${request.body.length}`,
    "",
    body,
    "",
    `# The same bytes with curl (body: ${bodyFile}):`,
    curlCommand(request, bodyFile),
    "",
  ].join("\n");
}
