// The Chromium Lifeboat drives (through playwright-core, with no browser download: the one already on the machine):
// where to find it and the flags it is started with. One place, for the report's PDF printer and the tests' browser.
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";
import { LifeboatError } from "../../shared/errors.ts";

/** Headless, no sandbox (it runs as root in CI and containers), and nothing it would fetch or sync on its own. */
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

const CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
];

/** LIFEBOAT_CHROMIUM when set (it must exist), else the first Chromium or Chrome in the usual places. */
export function findChromium(env: NodeJS.ProcessEnv): string {
  const given = env.LIFEBOAT_CHROMIUM;
  if (given) {
    if (existsSync(given)) return given;
    throw new LifeboatError(
      "TOOLS_MISSING",
      `LIFEBOAT_CHROMIUM names ${given}, which does not exist.`,
      "Point it at a Chromium or Chrome executable, or unset it.",
    );
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found)
    throw new LifeboatError(
      "TOOLS_MISSING",
      "No Chromium or Chrome was found to print the PDF.",
      "Install Chromium (Debian: apt-get install chromium) or set LIFEBOAT_CHROMIUM; or export --format html and print it to PDF from any browser.",
    );
  return found;
}

/** Starts a headless Chromium with CHROMIUM_ARGS (the executable found by findChromium unless one is given). */
export async function launchChromium(
  opts: { env?: NodeJS.ProcessEnv; executablePath?: string } = {},
): Promise<Browser> {
  const executablePath = opts.executablePath ?? findChromium(opts.env ?? process.env);
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
}
