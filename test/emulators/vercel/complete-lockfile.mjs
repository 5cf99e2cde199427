// Completes package-lock.json after `npm install` here: `npm run lockfile` (installs, then runs this file).
//
// The `vercel` CLI lists one optional native package per platform (@vercel/vc-native-<os>-<cpu>), and npm records all
// of them in package-lock.json, whatever the machine. When the registry cannot serve some of them (a partial mirror),
// `npm install` leaves them out, and `npm ci` then refuses the lockfile on every machine ("Missing:
// @vercel/vc-native-darwin-arm64@ from lock file"). `omit=optional` does not change that check (npm still resolves
// optional dependencies to compare them with the lockfile), and `overrides` can replace a dependency, not remove it.
// This adds the missing entries as npm writes them (version, cpu, dev, license, optional, os), without `integrity`,
// which only the registry can give. npm skips an optional package built for another platform without fetching it; on
// the platform it is for, npm fetches it by version, and skips it if it cannot be installed.
import { readFileSync, writeFileSync } from "node:fs";

const lockPath = new URL("./package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const cli = lock.packages["node_modules/vercel"];
const added = [];
for (const [name, version] of Object.entries(cli.optionalDependencies ?? {})) {
  const key = `node_modules/${name}`;
  const platform = /^@vercel\/vc-native-([a-z0-9]+)-([a-z0-9]+)$/.exec(name);
  if (lock.packages[key] || !platform) continue;
  const dev = cli.dev ? { dev: true } : {};
  lock.packages[key] = { version, cpu: [platform[2]], ...dev, license: cli.license, optional: true, os: [platform[1]] };
  added.push(`${name}@${version}`);
}
// npm's own order, so that the next `npm install` rewrites nothing else.
const keys = Object.keys(lock.packages).sort((a, b) => a.localeCompare(b, "en"));
lock.packages = Object.fromEntries(keys.map((key) => [key, lock.packages[key]]));
writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length > 0 ? `added ${added.join(", ")}` : "nothing to add");
