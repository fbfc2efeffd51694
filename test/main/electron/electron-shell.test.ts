import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiRouter, type ApiRouter } from "../../../src/main/api/router.ts";
import { appResponse } from "../../../src/main/electron/app-protocol.ts";
import { startAlertNotifications } from "../../../src/main/electron/desktop-notifications.ts";
import {
  createMainWindow,
  hardenSession,
  isTrustedSender,
  openExternalSafe,
  registerIpc,
} from "../../../src/main/electron/main.ts";
import { buildBridge } from "../../../src/main/electron/preload-bridge.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import { CHANNEL_NAMES } from "../../../src/shared/api/channels.ts";
import { fakeElectron, FakeFrame, FakeWebContents, ipcEvent, type FakeBrowserWindow } from "./fake-electron.ts";

let dir: string;
let journal: OpenJournal;
let router: ApiRouter;
let verifyCalls = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-electron-"));
  journal = await openJournal({ dir: join(dir, "journal") });
  router = createApiRouter(
    { configPath: join(dir, "config.json"), journal, env: {}, shell: "electron" },
    {
      "backups.verify": async (_req, ctx) => {
        verifyCalls++;
        ctx.engine().onProgress?.({ operation: "verify", phase: "download", bytes: 5, totalBytes: 10 });
        return {
          id: "b1",
          ok: true,
          bytes: 10,
          sha256: "0".repeat(64),
          tables: [],
          verdict: { pass: true, reason: "whole" },
          durationMs: 1,
        };
      },
    },
  );
});
after(async () => {
  await journal.close();
  await rm(dir, { recursive: true, force: true });
});

function newWindow() {
  const electron = fakeElectron();
  const win = createMainWindow(electron as never, {
    preloadPath: "/app/dist/electron/preload.cjs",
  }) as unknown as FakeBrowserWindow;
  return { electron, win };
}

describe("the window", () => {
  test("is isolated, sandboxed, without Node, with web security, and loads the app's own page", () => {
    const { win } = newWindow();
    const wp = win.options.webPreferences;
    assert.equal(wp.contextIsolation, true);
    assert.equal(wp.sandbox, true);
    assert.equal(wp.nodeIntegration, false);
    assert.equal(wp.nodeIntegrationInWorker, false);
    assert.equal(wp.nodeIntegrationInSubFrames, false);
    assert.equal(wp.webSecurity, true);
    assert.equal(wp.allowRunningInsecureContent, false);
    assert.equal(wp.webviewTag, false);
    assert.equal(wp.preload, "/app/dist/electron/preload.cjs");
    assert.equal(win.loaded, "app://lifeboat/index.html");
  });

  test("navigation away from the app is prevented; in-app navigation is not", () => {
    const { win } = newWindow();
    const outcome = (event: string, url: string): boolean => {
      let prevented = false;
      win.webContents.emit(event, { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    for (const url of [
      "https://evil.example/",
      "http://127.0.0.1:1234/",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "app://other/index.html",
      "not a url",
    ]) {
      assert.equal(outcome("will-navigate", url), true, url);
      assert.equal(outcome("will-redirect", url), true, url);
    }
    assert.equal(outcome("will-navigate", "app://lifeboat/index.html#/journal"), false);
    assert.equal(outcome("will-attach-webview", "app://lifeboat/x"), true, "no <webview>");
  });

  test("new windows are always denied; only https links reach the browser, through openExternalSafe", () => {
    const { win, electron } = newWindow();
    for (const url of [
      "https://neon.tech/docs",
      "http://example.org",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "app://lifeboat/index.html",
    ]) {
      assert.deepEqual(win.webContents.openHandler!({ url }), { action: "deny" }, url);
    }
    assert.deepEqual(electron.opened, ["https://neon.tech/docs"]);
  });
});

describe("openExternalSafe", () => {
  test("opens https only", () => {
    const opened: string[] = [];
    const shell = { openExternal: async (u: string) => void opened.push(u) };
    for (const url of [
      "http://example.org",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "data:text/html,x",
      "ms-msdt:/id",
      "smb://host/share",
      "https://user:pw@example.org",
      "",
      "https//missing-colon",
    ]) {
      assert.equal(openExternalSafe(shell as never, url), false, url);
    }
    assert.equal(openExternalSafe(shell as never, "https://neon.tech/docs?x=1"), true);
    assert.deepEqual(opened, ["https://neon.tech/docs?x=1"]);
  });
});

describe("the session", () => {
  test("denies every permission request and check, and adds the CSP to responses", () => {
    const { session } = fakeElectron();
    hardenSession(session as never);
    for (const perm of ["notifications", "media", "geolocation", "clipboard-read", "openExternal"]) {
      let granted: boolean | undefined;
      session.requestHandler!({}, perm, (g: boolean) => (granted = g));
      assert.equal(granted, false, perm);
      assert.equal(session.checkHandler!({}, perm), false, perm);
    }
    let headers: Record<string, string[]> = {};
    session.headersHandler!(
      { responseHeaders: { "Content-Type": ["text/html"] } },
      (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders),
    );
    assert.match(headers["Content-Security-Policy"]![0]!, /script-src 'self'/);
    assert.deepEqual(headers["Content-Type"], ["text/html"]);
  });
});

describe("IPC", () => {
  function wired() {
    const { electron, win } = newWindow();
    registerIpc(electron.ipcMain as never, router, (c) => (c as unknown) === win.webContents);
    return {
      electron,
      win,
      call: (channel: string, event: unknown, payload: unknown) =>
        electron.handlers.get(`lifeboat:${channel}`)!(event, payload) as Promise<{
          ok: boolean;
          value?: { shell?: string };
          error: { code: string; message: string };
        }>,
    };
  }

  test("one handler per channel of the map, and nothing else", () => {
    const { electron } = wired();
    assert.deepEqual([...electron.handlers.keys()].sort(), CHANNEL_NAMES.map((c) => `lifeboat:${c}`).sort());
  });

  test("the app's own main frame is answered through the router", async () => {
    const { win, call } = wired();
    const r = await call("app.info", ipcEvent(win.webContents), {});
    assert.equal(r.ok, true);
    assert.equal(r.value?.shell, "electron");
  });

  test("a foreign sender is refused: a subframe, another page, another window, no frame", async () => {
    const { win, call } = wired();
    const sub = new FakeFrame("app://lifeboat/index.html", win.webContents.mainFrame);
    const foreignPage = new FakeWebContents();
    foreignPage.mainFrame = new FakeFrame("https://evil.example/");
    const otherWindow = new FakeWebContents();
    const navigated = new FakeWebContents();
    navigated.mainFrame = new FakeFrame("https://evil.example/");
    for (const [what, event] of [
      ["subframe", ipcEvent(win.webContents, sub)],
      ["foreign page", ipcEvent(foreignPage)],
      ["another window", ipcEvent(otherWindow)],
      ["no frame", ipcEvent(win.webContents, null)],
    ] as const) {
      const r = await call("app.info", event, {});
      assert.equal(r.ok, false, what);
      assert.match(r.error.message, /did not come from the Lifeboat window/, what);
    }
    assert.equal(
      isTrustedSender(ipcEvent(navigated as never), () => true),
      false,
      "a window navigated off the app is not trusted",
    );
  });

  test("an invalid payload is refused and its handler is not called; progress goes back to the sender only", async () => {
    const { win, call } = wired();
    const before = verifyCalls;
    for (const payload of [
      { profile: "x", id: "" },
      { profile: "x", id: "b1", deep: 1 },
      { profile: "x", id: "b1", __proto__: { polluted: true }, extra: 1 },
      "x",
      null,
    ]) {
      const r = await call("backups.verify", ipcEvent(win.webContents), payload);
      assert.equal(r.ok, false);
      assert.equal(r.error.code, "USAGE");
    }
    assert.equal(verifyCalls, before);
    const ok = await call("backups.verify", ipcEvent(win.webContents), { profile: "x", id: "b1", operationId: "op-7" });
    assert.equal(ok.ok, true);
    assert.deepEqual(win.webContents.sent, [
      [
        "lifeboat:progress",
        {
          operationId: "op-7",
          channel: "backups.verify",
          progress: { operation: "verify", phase: "download", bytes: 5, totalBytes: 10 },
        },
      ],
    ]);
  });
});

describe("the preload bridge", () => {
  function fakeIpc() {
    const calls: [string, unknown][] = [];
    const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
    return {
      calls,
      listeners,
      invoke: async (ch: string, payload: unknown) => (calls.push([ch, payload]), { ok: true, value: "x" }),
      on: (ch: string, fn: (...a: unknown[]) => void) =>
        void (listeners.get(ch) ?? listeners.set(ch, new Set()).get(ch)!).add(fn),
      removeListener: (ch: string, fn: (...a: unknown[]) => void) => void listeners.get(ch)?.delete(fn),
    };
  }

  test("exposes exactly invoke and onProgress", () => {
    assert.deepEqual(Object.keys(buildBridge(fakeIpc(), CHANNEL_NAMES)).sort(), ["invoke", "onProgress"]);
  });

  test("refuses unknown channels without sending anything; forwards known ones", async () => {
    const ipc = fakeIpc();
    const bridge = buildBridge(ipc, CHANNEL_NAMES);
    for (const bad of ["fs.readFile", "lifeboat:app.info", "", "__proto__", "toString"]) {
      const r = await bridge.invoke(bad as never, {} as never);
      assert.equal(r.ok, false, bad);
    }
    assert.deepEqual(ipc.calls, []);
    await bridge.invoke("app.info", {});
    assert.deepEqual(ipc.calls, [["lifeboat:app.info", {}]]);
  });

  test("progress listeners get the data only, never the IPC event, and can unsubscribe", () => {
    const ipc = fakeIpc();
    const bridge = buildBridge(ipc, CHANNEL_NAMES);
    const got: unknown[][] = [];
    const off = bridge.onProgress((...args: unknown[]) => got.push(args));
    const sender = { sender: { send: () => undefined } };
    for (const fn of ipc.listeners.get("lifeboat:progress")!)
      fn(sender, {
        operationId: "o",
        channel: "backups.run",
        progress: { operation: "backup", phase: "dump", bytes: 1 },
      });
    assert.deepEqual(got, [
      [{ operationId: "o", channel: "backups.run", progress: { operation: "backup", phase: "dump", bytes: 1 } }],
    ]);
    off();
    assert.equal(ipc.listeners.get("lifeboat:progress")!.size, 0);
  });
});

describe("app:// protocol", () => {
  test("serves the renderer's files with the CSP, and nothing outside it", async () => {
    const root = join(dir, "renderer");
    await mkdir(root, { recursive: true });
    await writeFile(join(root, "index.html"), "<title>Lifeboat</title>");
    await writeFile(join(dir, "outside.txt"), "secret");
    const ok = await appResponse(root, "app://lifeboat/");
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get("content-security-policy") ?? "", /default-src 'self'/);
    assert.match(await ok.text(), /Lifeboat/);
    for (const url of [
      "app://lifeboat/../outside.txt",
      "app://lifeboat/%2e%2e/outside.txt",
      "app://lifeboat/..%2foutside.txt",
      "app://other/index.html",
    ]) {
      const r = await appResponse(root, url);
      assert.equal(r.status, 404, url);
    }
  });
});

describe("desktop notifications", () => {
  test("one notification per new alert", async () => {
    const shown: { title: string; body: string; urgency: string }[] = [];
    class FakeNotification {
      static isSupported = () => true;
      constructor(private o: { title: string; body: string; urgency: string }) {}
      show() {
        shown.push(this.o);
      }
    }
    const alert = {
      id: "clinic:backup-missing",
      profile: "clinic",
      rule: "backup-missing",
      severity: "CRITICAL",
      title: "No backup exists",
      message: "none",
    };
    let checks = 0;
    const fakeRouter = {
      invoke: async () => (checks++, { ok: true, value: { generatedAt: "", alerts: [alert] } }),
      running: () => [],
    } as unknown as ApiRouter;
    const stop = startAlertNotifications(FakeNotification as never, fakeRouter, { first: 1, every: 5 });
    while (checks < 3) await new Promise((r) => setTimeout(r, 5));
    stop();
    assert.equal(shown.length, 1);
    assert.equal(shown[0]!.title, "CRITICAL: No backup exists (clinic)");
    assert.equal(shown[0]!.urgency, "critical");
  });
});
