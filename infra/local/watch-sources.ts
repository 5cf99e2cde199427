// What `npm start` watches: the folders the bundles are built from. One non-recursive node:fs watcher per folder
// (inotify on Linux), subfolders added as they appear, so that it behaves the same on every Node version the template
// supports. Editors write a file several times per save (truncate, write, rename over, swap files): changes are
// gathered until the folders have been quiet for `quietMs`, then reported once.
import { type FSWatcher, readdirSync, statSync, watch } from "node:fs";
import { join } from "node:path";

export interface WatchedFolder {
  /** Absolute path. */
  readonly path: string;
  /** Its subfolders too (hidden ones and node_modules excepted). */
  readonly recursive: boolean;
}

export interface SourceWatcher {
  close(): void;
}

/** Source files count; editors' swap, backup and temporary files (`.x.ts.swp`, `x.ts~`, `#x.ts#`, `4913`) do not. */
export function isSourceFile(name: string): boolean {
  return /^[^.#~].*\.(?:[cm]?[jt]sx?|json)$/.test(name);
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function watchSources(
  folders: readonly WatchedFolder[],
  options: { readonly quietMs: number; readonly onChange: (files: string[]) => void },
): SourceWatcher {
  const watchers = new Map<string, FSWatcher>();
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  /** Stops watching `path` and the folders under it. */
  const unwatch = (path: string) => {
    for (const [watched, watcher] of watchers)
      if (watched === path || watched.startsWith(`${path}/`)) {
        watcher.close();
        watchers.delete(watched);
      }
  };

  const report = (path: string) => {
    changed.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...changed];
      changed.clear();
      options.onChange(files);
    }, options.quietMs);
  };

  const add = (path: string, recursive: boolean) => {
    if (watchers.has(path)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(path, (_event, name) => {
        if (name === null) return report(path);
        const full = join(path, name);
        if (recursive && !name.startsWith(".") && name !== "node_modules") {
          if (isFolder(full)) {
            // A folder created or moved in (or deleted and made again): watch it afresh, and what it brings counts.
            unwatch(full);
            add(full, true);
            return report(full);
          }
          // A watched subfolder removed or moved away.
          if (watchers.has(full)) {
            unwatch(full);
            return report(full);
          }
        }
        if (isSourceFile(name)) report(full);
      });
    } catch {
      return; // Gone before it could be watched (or not there at all): nothing to build from in it.
    }
    // The folder itself deleted: its watcher ends; its parent's reports the change.
    watcher.on("error", () => unwatch(path));
    watchers.set(path, watcher);
    if (!recursive) return;
    try {
      for (const entry of readdirSync(path, { withFileTypes: true }))
        if (entry.isDirectory() && !entry.name.startsWith(".") && entry.name !== "node_modules")
          add(join(path, entry.name), true);
    } catch {
      unwatch(path);
    }
  };

  for (const folder of folders) add(folder.path, folder.recursive);
  return {
    close() {
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
