// The console answers the person at this machine only. The server listens on 127.0.0.1, but two things still reach it
// from elsewhere: a tunnel (docs/local-development.md suggests one for real deliveries), which connects from loopback
// too and forwards the public Host; and a web page in the browser, which can make it send requests (a form's POST)
// or, by DNS rebinding, read its answers under a name of its own. So: the Host must name the loopback address, no
// proxy may have forwarded it, and a request that changes anything must be a same-origin JSON POST.
import type { IncomingMessage } from "node:http";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Headers a tunnel or proxy adds: a request that carries one did not come from this machine's browser. */
const FORWARDED = ["x-forwarded-for", "x-forwarded-host", "forwarded", "cf-connecting-ip", "x-real-ip"];

function hostIsLoopback(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : (host.split(":")[0] ?? "");
  return LOOPBACK_HOSTS.has(name.toLowerCase());
}

/** Why the console refuses `req`, or undefined when it is this machine's. */
export function refusal(req: IncomingMessage): string | undefined {
  if (!hostIsLoopback(req.headers.host)) return "the console answers on the loopback address only";
  if (FORWARDED.some((name) => req.headers[name] !== undefined))
    return "the console does not answer forwarded requests";
  if (req.method !== "GET" && req.method !== "HEAD") {
    // A cross-site form can POST text/plain without asking; application/json needs a preflight nobody answers.
    if (!(req.headers["content-type"] ?? "").startsWith("application/json")) return "send application/json";
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host}`) return "cross-origin requests are refused";
  }
  return undefined;
}
