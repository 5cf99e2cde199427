// A real browser for the suites that test a page: Debian's Chromium, driven by playwright-core (which brings no
// browser of its own). Missing, it is a failure that says how to install it, never a skipped test.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** The executable: CHROMIUM_PATH, else where Debian's package puts it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const INSTALL_CHROMIUM = "apt-get install -y chromium";

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(
      `Chromium is not installed (no ${CHROMIUM_PATH}): install it with \`${INSTALL_CHROMIUM}\`, or set CHROMIUM_PATH to a Chromium executable`,
    );
  // Chromium refuses to run as root with its sandbox on (containers, CI).
  const asRoot = process.getuid?.() === 0;
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: asRoot ? ["--no-sandbox"] : [] });
}
