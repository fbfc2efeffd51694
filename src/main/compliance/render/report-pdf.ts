// The PDF is the HTML report printed by Chromium (src/main/process/chromium.ts: which one, and its flags). JavaScript
// is off and the page loads nothing: it is our own self-contained HTML.
import { launchChromium } from "../../process/chromium.ts";

export async function htmlToPdf(html: string, env: NodeJS.ProcessEnv, title: string): Promise<Buffer> {
  const browser = await launchChromium({ env });
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
