// What the suites of the local commands share: a free port, the environment of a fresh machine (no secret of any
// kind, no NODE_ENV), and `npm run send` run as a person runs it against a receiver on that port.
import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";
import { EXTERNAL_SECRET_VARIABLES } from "../../infra/local/dev-secret.ts";
import { TOPIC_SECRETS_ENV } from "../../shared/core/topic-secrets.ts";
import { ROOT } from "./bundles.ts";

const run = promisify(execFile);

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fresh machine's environment: no secret of any kind configured, and no NODE_ENV. */
export function freshEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ["COMMERCELAYER_WEBHOOK_SECRET", TOPIC_SECRETS_ENV, "NODE_ENV", ...EXTERNAL_SECRET_VARIABLES])
    delete env[name];
  return { ...env, ...extra };
}

/** `npm run send -- <args>` against the receiver on `port`; its exit code and what it printed. */
export async function npmSend(port: number, args: readonly string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run("npm", ["run", "--silent", "send", "--", ...args], {
      cwd: ROOT,
      env: freshEnv({ PORT: String(port) }),
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? "" };
  }
}
