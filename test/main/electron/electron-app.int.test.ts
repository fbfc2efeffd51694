// The real desktop app, driven by Playwright's Electron support. Needs Electron's binary, which `npm install` downloads;
// where it is missing (no network, or install scripts disabled as in this repo's CI sandbox) the app test skips.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundleElectron } from "../../../src/main/electron/build/bundle-electron.ts";

function electronBinary(): string | undefined {
  try {
    const path: unknown = createRequire(import.meta.url)("electron");
    return typeof path === "string" && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-electron-app-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("the bundles: a self-contained preload that requires only electron, and a main that loads electron only when run by it", async () => {
  const out = await bundleElectron(join(dir, "bundle"));
  const preload = await readFile(out.preload, "utf8");
  const requires = new Set([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]));
  assert.deepEqual([...requires], ["electron"]);
  const main = await readFile(out.main, "utf8");
  assert.doesNotMatch(main, /^import [^;]*from ["']electron["']/m, "no static import of electron");
  assert.match(main, /import\(["']electron["']\)/);
});

test(
  "the desktop app opens one isolated window whose only bridge is window.lifeboat, answering through the router",
  {
    skip: binary
      ? undefined
      : "no Electron binary: require('electron') gives no existing path (npm could not download it in this sandbox); run `npm install` with network and install scripts to enable",
  },
  async () => {
    const { _electron } = await import("playwright-core");
    const out = await bundleElectron();
    const app = await _electron.launch({
      executablePath: binary!,
      args: [out.main, "--no-sandbox"],
      env: { ...process.env, LIFEBOAT_CONFIG: join(dir, "config.json"), LIFEBOAT_JOURNAL_DIR: join(dir, "journal") },
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState("domcontentloaded");
      assert.match(page.url(), /^app:\/\/lifeboat\//);
      const probe = await page.evaluate(async () => {
        const w = window as unknown as Record<string, unknown> & {
          lifeboat: { invoke: (c: string, p: unknown) => Promise<{ ok: boolean; value?: { shell: string } }> };
        };
        const info = await w.lifeboat.invoke("app.info", {});
        const unknown = await w.lifeboat.invoke("fs.readFile", {});
        return {
          keys: Object.keys(w.lifeboat).sort(),
          require: typeof w.require,
          process: typeof w.process,
          shell: info.value?.shell,
          unknownOk: unknown.ok,
        };
      });
      assert.deepEqual(probe, {
        keys: ["invoke", "onProgress"],
        require: "undefined",
        process: "undefined",
        shell: "electron",
        unknownOk: false,
      });
      assert.equal(app.windows().length, 1);
      const opened = await page.evaluate(() => window.open("https://example.org") === null);
      assert.equal(opened, true, "window.open is denied");
    } finally {
      await app.close();
    }
  },
);
