import { test } from "node:test";
import assert from "node:assert/strict";
import { pickBridge, takeToken } from "../../../src/renderer/src/api/bridge.ts";

function memoryStorage(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
    clear: () => data.clear(),
    key: () => null,
    length: 0,
  } as Storage & { data: Map<string, string> };
}

const TOKEN = "tok_abcdefghijklmnopqrstuvwxyz012345";

test("the browser-mode token moves from the URL fragment to this tab's storage and leaves the address bar", () => {
  const storage = memoryStorage();
  const replaced: string[] = [];
  const token = takeToken({ hash: `#token=${TOKEN}`, pathname: "/", search: "" }, storage, {
    replaceState: (_s, _t, url) => void replaced.push(String(url)),
  });
  assert.equal(token, TOKEN);
  assert.equal([...storage.data.values()][0], TOKEN);
  assert.deepEqual(replaced, ["/"], "the fragment is wiped from the URL and history");
  // A reload of the tab (no fragment any more) still has it.
  assert.equal(takeToken({ hash: "", pathname: "/", search: "" }, storage), TOKEN);
  assert.equal(takeToken({ hash: "", pathname: "/", search: "" }, memoryStorage()), undefined);
});

test("the Electron preload's bridge is used as is when present; otherwise the HTTP bridge sends the token", async () => {
  const preload = {
    invoke: async () => ({ ok: true as const, value: "from-preload" }),
    onProgress: () => () => undefined,
  };
  const win = { lifeboat: preload } as unknown as Window;
  assert.equal(pickBridge(win), preload);

  const sent: { url: string; headers: Record<string, string> }[] = [];
  const orig = globalThis.fetch;
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, headers: init.headers as Record<string, string> });
    return new Response(JSON.stringify({ ok: true, value: { version: "x" } }), { status: 200 });
  }) as typeof fetch;
  try {
    const storage = memoryStorage();
    const browserWin = {
      location: { hash: `#token=${TOKEN}`, pathname: "/", search: "" },
      sessionStorage: storage,
      history: { replaceState: () => undefined },
    } as unknown as Window;
    const r = await pickBridge(browserWin).invoke("app.info", {});
    assert.deepEqual(r, { ok: true, value: { version: "x" } });
    assert.equal(sent[0]!.url, "/api/invoke");
    assert.equal(Object.values(sent[0]!.headers).includes(TOKEN), true, "the token travels as a header");
    assert.equal(sent[0]!.url.includes(TOKEN), false, "never in the URL");
  } finally {
    globalThis.fetch = orig;
  }
});
