// The PDF is the HTML report printed by Chromium (through playwright-core, with no browser download: the Chromium
// already on the machine). JavaScript is off and the page loads nothing: it is our own self-contained HTML.
import { existsSync } from "node:fs";
import { LifeboatError } from "../../../shared/errors.ts";

const CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
];

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

export async function htmlToPdf(html: string, env: NodeJS.ProcessEnv, title: string): Promise<Buffer> {
  const executablePath = findChromium(env);
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
  });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: "load" });
    const foot = `<div style="font:8px sans-serif;color:#5f6b7a;width:100%;padding:0 12mm;display:flex;justify-content:space-between"><span>${title.replace(/[<&>]/g, "")}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
    return await page.pdf({
      format: "A4",
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: foot,
      margin: { top: "14mm", bottom: "16mm", left: "12mm", right: "12mm" },
    });
  } finally {
    await browser.close();
  }
}
