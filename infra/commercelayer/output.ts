// What the command prints: lines for people on stdout, warnings and the failure line on stderr, JSON on stdout with
// --json. Every line goes through here, and any secret the command has read is masked in it: secrets only ever reach
// the env file.

const secrets = new Set<string>();

/** Secrets read from the API: never printed, whatever line would carry them. */
export function keepSecret(secret: string | null | undefined): void {
  if (secret) secrets.add(secret);
}

function masked(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.replaceAll(secret, "***");
  return out;
}

export function say(line = ""): void {
  process.stdout.write(`${masked(line)}\n`);
}

export function warn(line: string): void {
  process.stderr.write(`${masked(`commercelayer: ${line}`)}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${masked(JSON.stringify(value, null, 2))}\n`);
}

/** A list for a line: `a, b` or `(none)`. */
export function listed(values: readonly string[] | string | null): string {
  if (values === null) return "(none)";
  if (typeof values === "string") return values;
  return values.length === 0 ? "(none)" : values.join(", ");
}
