// The built external factories, imported as an app imports them, and the log line they print per call.
import { importBundle } from "./bundles.ts";

export const externalFactoryPath = (platform: string) =>
  `dist/factories/${platform}/commercelayer-external-factory.mjs`;

export function importExternalFactory<T>(platform: string): Promise<T> {
  return importBundle<T>(externalFactoryPath(platform));
}

/** The receiver's own line for the call. */
export function externalLine(logs: readonly string[]): Record<string, unknown> | undefined {
  return logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === "commercelayer external");
}
