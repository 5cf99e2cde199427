// Waiting for a process to print a JSON line: the emulator suites read their function's console.log this way.

/** The first JSON line in `read()` that `match` accepts, polled until `timeoutMs` (text before `{` is ignored). */
export async function waitForJsonLine(
  read: () => string,
  match: (line: Record<string, unknown>) => boolean,
  timeoutMs = 10_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const output = read();
    for (const text of output.split("\n")) {
      const start = text.indexOf("{");
      if (start < 0) continue;
      try {
        const line = JSON.parse(text.slice(start)) as Record<string, unknown>;
        if (match(line)) return line;
      } catch {
        // Not a JSON line.
      }
    }
    if (Date.now() > deadline) throw new Error(`no matching log line. Output:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
