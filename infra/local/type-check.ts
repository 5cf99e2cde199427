// `npm start`'s check of the handlers files (infra/build/check-handlers.ts: every misspelt topic key, every type
// error), run as a child process after each build so that the receiver keeps answering while TypeScript works. A
// problem does not stop the server, which keeps serving what built: it is printed loudly, since `npm run build` and
// every deploy will refuse the same files.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const CHECK_SCRIPT = fileURLToPath(new URL("../build/check-handlers.ts", import.meta.url));

/** Resolves once the check has run and, when it found problems, printed them. */
export function typeCheckLoudly(files: readonly string[]): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHECK_SCRIPT, ...files], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let output = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
    });
    child.on("error", () => resolve());
    child.on("close", (code) => {
      if (code !== 0) {
        const lines = output.trim().split("\n").filter(Boolean);
        console.error(
          [
            "!".repeat(78),
            `!! The handlers files do not check (${lines.length} problem${lines.length === 1 ? "" : "s"}): npm run build and the deploys refuse them.`,
            ...lines.map((line) => `!!   ${line}`),
            "!! Still serving what built.",
            "!".repeat(78),
          ].join("\n"),
        );
      }
      resolve();
    });
  });
}
