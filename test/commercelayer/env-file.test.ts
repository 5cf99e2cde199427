// The env file apply writes its one variable into: every other line stays as it was, byte for byte.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { writeEnvVariable } from "../../infra/commercelayer/env-file.ts";

const NAME = "COMMERCELAYER_WEBHOOK_TOPIC_SECRETS";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function file(content?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "env-file-"));
  dirs.push(dir);
  const path = join(dir, ".env");
  if (content !== undefined) writeFileSync(path, content);
  return path;
}

describe("writeEnvVariable", () => {
  it("replaces the line that sets it, drops a repeat of it, and keeps every other byte", () => {
    const path = file(`# top\r\nA=1\r\n${NAME}=old\r\nexport B="two words" # note\n  ${NAME} = older\nC=3`);
    expect(writeEnvVariable(path, NAME, "orders.place=s1")).toBe("updated");
    expect(readFileSync(path, "utf8")).toBe(
      `# top\r\nA=1\r\n${NAME}=orders.place=s1\r\nexport B="two words" # note\nC=3`,
    );
  });

  it("appends it after a last line without a newline, in the file's line ending", () => {
    const path = file("A=1\r\nB=2");
    writeEnvVariable(path, NAME, "x=y");
    expect(readFileSync(path, "utf8")).toBe(`A=1\r\nB=2\n${NAME}=x=y\n`);
    const crlf = file("A=1\r\n");
    writeEnvVariable(crlf, NAME, "x=y");
    expect(readFileSync(crlf, "utf8")).toBe(`A=1\r\n${NAME}=x=y\r\n`);
  });

  it("leaves the file untouched when the value is the same", () => {
    const path = file(`A=1\n${NAME}=x=y\n`);
    const before = statSync(path).mtimeMs;
    expect(writeEnvVariable(path, NAME, "x=y")).toBe("unchanged");
    expect(statSync(path).mtimeMs).toBe(before);
  });

  it("creates a missing file for its owner only; a value a reader would cut is quoted", () => {
    const path = file();
    expect(writeEnvVariable(path, NAME, "t=a#b c")).toBe("created");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(parseEnv(readFileSync(path, "utf8"))[NAME]).toBe("t=a#b c");
  });

  it("writes secrets as Commerce Layer makes them (base64, = and + and /) so that dotenv readers read them back", () => {
    const value = "orders.place=E+qpwyiJGyW+UBXnw2El7bVVvU28FXGOy7O5w1qG19A=,orders.cancel=QlK/0BcPP1J58Xw=";
    const path = file("A=1\n");
    writeEnvVariable(path, NAME, value);
    expect(parseEnv(readFileSync(path, "utf8"))[NAME]).toBe(value);
  });
});
