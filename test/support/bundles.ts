// The built bundles under dist/, imported as a platform imports them. `npm test` builds them first.
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export async function importBundle<T = Record<string, unknown>>(relativePath: string): Promise<T> {
  const path = `${ROOT}${relativePath}`;
  if (!existsSync(path)) throw new Error(`${relativePath} is missing: run \`npm run build\` first`);
  return (await import(pathToFileURL(path).href)) as T;
}
