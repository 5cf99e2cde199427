// Writes one variable into an env file and leaves every other line as it was, byte for byte: the line that set it is
// replaced (a repeat of it is dropped), or the variable is appended; a file that does not exist is created, readable
// by its owner only. The same value leaves the file untouched.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export type EnvFileChange = "created" | "updated" | "unchanged";

/** As dotenv readers take it: unquoted unless the value holds what would end or comment it. */
function assignment(name: string, value: string): string {
  return /[\s#"'\\]/.test(value)
    ? `${name}="${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`
    : `${name}=${value}`;
}

export function writeEnvVariable(path: string, name: string, value: string): EnvFileChange {
  const line = assignment(name, value);
  if (!existsSync(path)) {
    writeFileSync(path, `${line}\n`, { mode: 0o600 });
    return "created";
  }
  const before = readFileSync(path, "utf8");
  const setsIt = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=`);
  // Split keeping each line's own ending, so that CRLF files stay CRLF.
  const lines = before.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let replaced = false;
  const after: string[] = [];
  for (const current of lines) {
    if (!setsIt.test(current)) after.push(current);
    else if (!replaced) {
      replaced = true;
      after.push(`${line}${current.endsWith("\r\n") ? "\r\n" : current.endsWith("\n") ? "\n" : ""}`);
    }
  }
  if (!replaced) {
    const ending = before.endsWith("\r\n") ? "\r\n" : "\n";
    if (before !== "" && !before.endsWith("\n")) after.push(ending);
    after.push(`${line}${ending}`);
  }
  const text = after.join("");
  if (text === before) return "unchanged";
  writeFileSync(path, text);
  return "updated";
}
