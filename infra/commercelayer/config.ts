// Where the command finds its integration's credentials and Commerce Layer's endpoints: the environment, else the
// env file (`.env`, or the one `--env-file` names). The environment wins, so CI can set them without a file.
import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { Fault } from "./faults.ts";

export const DEFAULT_AUTH_ENDPOINT = "https://auth.commercelayer.io";

export interface Credentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The organization's base URL (`https://acme.commercelayer.io`); absent: the one the token names. */
  readonly apiEndpoint: string | undefined;
  readonly authEndpoint: string;
  /** Where the token is cached between runs (a git-ignored folder). */
  readonly tokenCacheDir: string | undefined;
}

/** A problem the user fixes in their configuration: one line, exit 2. */
export class ConfigProblem extends Fault {}

/** The variables of an env file, or none when it does not exist. */
export function readEnvFile(path: string): Record<string, string | undefined> {
  return existsSync(path) ? parseEnv(readFileSync(path, "utf8")) : {};
}

/**
 * An endpoint as a base URL without a trailing slash. Plain http only on loopback (a stand-in in tests): elsewhere
 * it would send the client secret and the tokens in clear.
 */
function endpoint(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigProblem(`${name} is not a URL: ${value}`);
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new ConfigProblem(`${name} must be an https:// URL (plain http only on 127.0.0.1): ${value}`);
  }
  return value.replace(/\/+$/, "");
}

export function readCredentials(envFile: string, environment: NodeJS.ProcessEnv = process.env): Credentials {
  const file = readEnvFile(envFile);
  const read = (name: string): string | undefined => {
    const value = environment[name] ?? file[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const clientId = read("COMMERCELAYER_CLIENT_ID");
  const clientSecret = read("COMMERCELAYER_CLIENT_SECRET");
  if (clientId === undefined || clientSecret === undefined) {
    const missing = [
      ...(clientId === undefined ? ["COMMERCELAYER_CLIENT_ID"] : []),
      ...(clientSecret === undefined ? ["COMMERCELAYER_CLIENT_SECRET"] : []),
    ];
    throw new ConfigProblem(
      `missing ${missing.join(" and ")}: an integration application's credentials, in the environment or in ${envFile}`,
    );
  }
  const api = read("COMMERCELAYER_API_ENDPOINT");
  return {
    clientId,
    clientSecret,
    apiEndpoint: api === undefined ? undefined : endpoint("COMMERCELAYER_API_ENDPOINT", api),
    authEndpoint: endpoint("COMMERCELAYER_AUTH_ENDPOINT", read("COMMERCELAYER_AUTH_ENDPOINT") ?? DEFAULT_AUTH_ENDPOINT),
    tokenCacheDir: read("COMMERCELAYER_TOKEN_CACHE_DIR"),
  };
}
