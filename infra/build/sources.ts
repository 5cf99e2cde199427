// What `npm run build` builds dist/ from, stated once: npm start and copy-to rebuild only when one of these is newer
// than what they serve or copy. A module of its own, light to import (build.ts loads the declaration generator).
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Relative to the repository. */
export const BUILD_SOURCES = ["shared", "functions", "infra/build", "package.json"] as const;

/** The newest modification time of a file, or of any file under a folder. */
export function newestModification(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestModification(join(path, entry))));
}
