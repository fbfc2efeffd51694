// Small helpers for driving the console the way an operator does: by role and accessible name only.
import type { Locator, Page, Response } from "playwright-core";

export async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name, exact: true }).click();
  await page.getByRole("heading", { level: 1, name }).first().waitFor();
}

export async function visible(l: Locator, timeout = 30_000): Promise<Locator> {
  await l.first().waitFor({ state: "visible", timeout });
  return l.first();
}

/** Every API answer the page receives, as text: for proving that no secret ever reaches the renderer. */
export function recordApiTraffic(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", (r: Response) => {
    if (!new URL(r.url()).pathname.startsWith("/api/invoke")) return;
    r.text().then(
      (t) => bodies.push(t),
      () => undefined,
    );
  });
  return bodies;
}

/** The nearest section/region with this accessible name. */
export function region(page: Page | Locator, name: string | RegExp): Locator {
  return page.getByRole("region", { name });
}

/** Presses Tab until `target` has the focus (as a keyboard-only operator would); fails after `max` presses. */
export async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${target}`);
}
