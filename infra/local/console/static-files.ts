// The page itself: three files under public/, plain HTML, CSS and JS, read from disk at each request (no build step;
// an edit shows on reload). The Content-Security-Policy lets the page load nothing but them and talk to nothing but
// this origin: no third-party script, font or image, even by mistake.
import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";

const PUBLIC = new URL("./public/", import.meta.url);

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** URL path → file under public/ and its type. */
export const STATIC_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/console/console.css": { file: "console.css", type: "text/css; charset=utf-8" },
  "/console/console.js": { file: "console.js", type: "text/javascript; charset=utf-8" },
};

export async function serveStatic(path: string, res: ServerResponse): Promise<boolean> {
  const found = STATIC_FILES[path];
  if (found === undefined) return false;
  const content = await readFile(new URL(found.file, PUBLIC));
  res
    .writeHead(200, {
      "content-type": found.type,
      "cache-control": "no-store",
      "content-security-policy": CONTENT_SECURITY_POLICY,
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    })
    .end(content);
  return true;
}
